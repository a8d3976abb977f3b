"""A client that hangs up mid-request is not a server error: the emulator stays quiet."""

from __future__ import annotations

import socket
import struct
import time
from urllib.parse import urlparse

from revsync.emulator import Emulator


def test_a_reset_connection_prints_nothing(capfd):
    with Emulator() as emu:
        url = urlparse(emu.api_url)
        for _ in range(3):
            sock = socket.create_connection((url.hostname, url.port))
            sock.sendall(b"GET /profitstream/v2/api/products HTTP/1.1\r\nHost: x\r\n")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # an RST while the server waits for the rest of the request
        time.sleep(0.3)
    assert "Traceback" not in capfd.readouterr().err
