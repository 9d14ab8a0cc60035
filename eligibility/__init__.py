"""Partner-tier rules: facts in, an explained decision out. Pure, no I/O in evaluation."""
