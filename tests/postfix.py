"""A real Postfix for tests: its own configuration, queue and data folders, an SMTP listener on a loopback port,
started in the foreground as a plain process (`postfix start-fg`, like Dovecot in tests/dovecot.py) and stopped
with the test. The caller gives the lines mailbot's documentation recommends (docs/mail-in.md, "Behind
Postfix"): the transport table, the pipe service and the main.cf settings, so the recipes cannot go stale.

Needs the Debian package `postfix` (installed by .ci/run) and root (Postfix's master starts as root and drops to
the `postfix` user)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from tests.helpers import wait_until

POSTFIX = "/usr/sbin/postfix"
MASTER_PROTO = Path("/usr/share/postfix/master.cf.dist")


class Postfix:
    def __init__(self, smtp_port: int, *, main: dict[str, str], transport: str, services: str = ""):
        # World-readable: the pipe's user must read what it runs (its configuration is put here by the caller).
        self.dir = Path(tempfile.mkdtemp(prefix="mailbot-postfix-"))
        self.dir.chmod(0o755)
        self.conf, self.queue, self.data = self.dir / "conf", self.dir / "queue", self.dir / "data"
        for d in (self.conf, self.queue, self.data):
            d.mkdir()
        shutil.chown(self.data, "postfix")
        self.port = smtp_port
        (self.conf / "transport").write_text(transport)
        settings = {
            "compatibility_level": "3.6", "queue_directory": str(self.queue), "data_directory": str(self.data),
            "command_directory": "/usr/sbin", "daemon_directory": "/usr/lib/postfix/sbin",
            "meta_directory": "/etc/postfix", "shlib_directory": "/usr/lib/postfix", "mail_owner": "postfix",
            "setgid_group": "postdrop", "inet_interfaces": "127.0.0.1", "inet_protocols": "ipv4",
            "myhostname": "mx.support.test", "mydestination": "", "mynetworks": "127.0.0.0/8",
            "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination", "alias_maps": "",
            "alias_database": "", "maillog_file": "/dev/stdout", "transport_maps": f"texthash:{self.conf}/transport",
            # retry soon: a deferral must show within the test
            "queue_run_delay": "2s", "minimal_backoff_time": "2s", "maximal_backoff_time": "4s",
        } | main
        (self.conf / "main.cf").write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
        master = []
        for line in MASTER_PROTO.read_text().splitlines():
            parts = line.split()
            if line.startswith("smtp ") and "smtpd" in line:
                line = f"127.0.0.1:{smtp_port} inet n - n - - smtpd"
            elif line.startswith("#postlog"):
                line = line[1:]
            elif len(parts) >= 8 and not line[:1].isspace() and not line.startswith("#") and parts[4] == "y":
                parts[4] = "n"  # no chroot: the test's folders are not inside one
                line = " ".join(parts)
            master.append(line)
        (self.conf / "master.cf").write_text("\n".join(master) + "\n" + services)
        subprocess.run([POSTFIX, "-c", str(self.conf), "set-permissions"], check=True, capture_output=True)
        self.log = open(self.dir / "postfix.log", "wb")
        self.proc = subprocess.Popen([POSTFIX, "-c", str(self.conf), "start-fg"], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self._wait_listening()

    def _wait_listening(self, timeout: float = 20) -> None:
        def listening() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postfix exited: {self.log_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                return False
        if not wait_until(listening, timeout, interval=0.1):
            raise RuntimeError(f"postfix did not listen on {self.port}: {self.log_text()[-2000:]}")

    def log_text(self) -> str:
        self.log.flush()
        return (self.dir / "postfix.log").read_text(errors="replace")

    def queue_is_empty(self) -> bool:
        r = subprocess.run(["/usr/sbin/postqueue", "-c", str(self.conf), "-p"], capture_output=True, text=True)
        return "Mail queue is empty" in r.stdout

    def stop(self) -> None:
        subprocess.run([POSTFIX, "-c", str(self.conf), "stop"], capture_output=True)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
