"""HTTP to the Bot API over aiohttp instead of python-telegram-bot's default httpx.

Measured with `benchmarks/load.py`, httpx/httpcore spent most of the bot's CPU: its
connection pool looks at every open connection on each request, asking each socket
whether it is readable. aiohttp keeps a plain pool of keep-alive connections, and the
same updates cost a fraction of the CPU. The interface is python-telegram-bot's own
`BaseRequest`, so nothing above this module changes.
"""

from __future__ import annotations

import logging

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)


class AiohttpRequest(BaseRequest):
    """One keep-alive connection pool; timeouts as python-telegram-bot passes them."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 media_write_timeout: float | None = 20.0):
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        if isinstance(write_timeout, DefaultValue):
            write_timeout = self._media_write_timeout if files else self._write_timeout
        # aiohttp has no separate write timeout: a request may take its writing and its
        # reading time together before it is given up.
        total = None if read_timeout is None or write_timeout is None \
            else read_timeout + write_timeout
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect_timeout,
                                        sock_read=read_timeout)
        data: aiohttp.FormData | bytes | None = None
        headers = None
        if files:  # uploads go as a multipart form, the other fields beside the files
            data = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                data.add_field(name, value)
            for name, part in files.items():
                if isinstance(part, tuple):  # (file name, content, MIME type)
                    data.add_field(name, part[1], filename=part[0], content_type=part[2])
                else:
                    data.add_field(name, part)
        elif request_data is not None:  # a JSON body: cheaper to make than a URL-encoded form
            data = request_data.json_payload
            headers = {"Content-Type": "application/json"}
        try:
            async with self._session.request(method, url, data=data, headers=headers,
                                             timeout=timeout) as res:
                return res.status, await res.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc
