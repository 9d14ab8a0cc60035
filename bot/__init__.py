"""Partner Program Assistant: FAQ answers, eligibility checks and mapping look-ups."""

LANGUAGES = ("ru", "fr", "pl")
