"""A local SMTP relay for the envoyer-test tests (driven by tests/email.rs).

    python3 tests/smtp/relay.py DIR starttls|tls USER PASSWORD

Makes a test certificate authority and a server certificate for 127.0.0.1
in DIR (ca.pem is what cufpress is given with --ca), then listens on
127.0.0.1 at a free port, printed on the first line of stdout. In
`starttls` mode it refuses everything before STARTTLS (530) and any AUTH
outside TLS; in `tls` mode the connection is TLS from the first byte
(port 465 style). Both require AUTH PLAIN or LOGIN with USER / PASSWORD.
A recipient starting with "refuse" gets a 550. Every message received is
written to DIR/recu-N.eml. Stops when stdin closes.
"""

import asyncio
import ssl
import subprocess
import sys
import threading
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certificates(d: Path):
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"),
            "-days", "2", "-subj", "/CN=cufpress CA de test",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", *ec, "-keyout", str(d / "serveur.key"), "-out", str(d / "serveur.csr"),
            "-subj", "/CN=127.0.0.1")
    ext = d / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                   "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", str(d / "serveur.csr"), "-CA", str(d / "ca.pem"),
            "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-out", str(d / "serveur.pem"),
            "-days", "2", "-extfile", str(ext))


class Handler:
    def __init__(self, d: Path):
        self.d = d
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        (self.d / f"recu-{self.n}.eml").write_bytes(envelope.original_content)
        return "250 Message accepted"


def main():
    d, mode, user, password = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    d.mkdir(parents=True, exist_ok=True)
    make_certificates(d)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(d / "serveur.pem"), str(d / "serveur.key"))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)

    handler = Handler(d)
    implicit = mode == "tls"

    def factory():
        return SMTP(handler, hostname="relais-test", authenticator=authenticator,
                    auth_required=True, auth_require_tls=not implicit,
                    require_starttls=not implicit, tls_context=None if implicit else ctx)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(factory, "127.0.0.1", 0, ssl=ctx if implicit else None))
    print(server.sockets[0].getsockname()[1], flush=True)

    def wait_stdin():
        sys.stdin.read()
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=wait_stdin, daemon=True).start()
    loop.run_forever()


if __name__ == "__main__":
    main()
