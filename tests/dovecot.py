"""A real Dovecot IMAP server for integration tests.

Each :class:`Dovecot` is a private ``dovecot -F -c CONF`` process (no systemd, no system paths) with its
configuration, state, logs and mail under ``root``, listening on free loopback ports.  Starting takes
well under a second.  Needs Dovecot 2.3 (Debian: ``apt-get install -y dovecot-imapd``) and root (Dovecot
chroots the mail processes and runs them as ``nobody``).

Using it from a test: tests/conftest.py has the fixtures ``dovecot`` (one server with DEFAULT_USERS, started,
stopped at teardown) and ``dovecot_factory`` (defined here: any number of servers, all stopped)::

    def test_x(dovecot_factory):
        d = dovecot_factory(tls="ssl")          # same keywords as make_dovecot

    # or by hand (started, DEFAULT_USERS unless users= is given; a context manager stops it):
    from tests.dovecot import Dovecot, make_dovecot

    def test_y(tmp_path):
        with make_dovecot(tmp_path, tls="starttls", capability_without=("MOVE",)) as d:
            ...

    def test_fetch(dovecot):
        uid = dovecot.append("help", b"From: a@acme.lv\\nSubject: x\\n\\nhi\\n")
        ...  # point the code under test at dovecot.host / dovecot.port, user "help", password "pw1"
        assert dovecot.flags("help", uid) == {"\\\\Seen"}

This module stands alone (no import from the rest of tests/): bench/imap.py imports it as ``dovecot`` with
``tests/`` on ``sys.path``, so it keeps its own waiting loops rather than tests.helpers.wait_until.

API (``user`` is a key of ``users``; folder names are ordinary Python strings, the helper does the IMAP
quoting and modified UTF-7, so ``"Apstrādāts"`` works; the hierarchy separator is ``"."``):

``Dovecot(root, users, *, capability_without=(), tls="none", host="127.0.0.1", idle_notify_seconds=None)``
    ``root``: a directory (created) that holds everything.  ``users``: ``{login: password}``; logins are
    lower case (Dovecot lower-cases logins), no ``:``, whitespace or ``/``.
    ``tls``: ``"none"`` (plain port only), ``"ssl"`` (implicit TLS port only), ``"starttls"`` (plain port
    offering STARTTLS, ``ssl = required``).  For ``ssl``/``starttls`` a self-signed certificate (RSA
    2048, one day) for ``localhost``, ``127.0.0.1`` and ``host`` (subjectAltName) is made in ``root``:
    verify with ``ssl.create_default_context(cafile=d.ca_file)``; hostname checks pass for
    ``"localhost"`` and for the IP, no need to switch them off.
    STARTTLS caveat: Dovecot counts a connection whose remote IP equals its local IP as secure, so on
    ``host="127.0.0.1"`` LOGIN *without* STARTTLS is accepted anyway.  To prove a client upgraded, check
    ``d.logins()[-1]["tls"]``, or pass ``host="127.0.0.2"`` (Linux routes all of 127/8 to lo and picks
    127.0.0.1 as source): then Dovecot advertises ``LOGINDISABLED`` and refuses LOGIN before STARTTLS.
    ``capability_without``: capabilities to hide from the post-login CAPABILITY list (and from the
    ``[CAPABILITY ...]`` code of the LOGIN reply), e.g. ``("MOVE",)``; matched case-insensitively;
    a name Dovecot does not advertise is a ValueError.  Only the advertisement changes: the commands
    still work if a client sends them anyway.  The pre-login banner is left alone (it never lists
    MOVE etc., and replacing it would drop STARTTLS/AUTH=).
    ``idle_notify_seconds``: how often an idling client gets ``* OK Still here`` (Dovecot's
    ``imap_idle_notify_interval``, 2 minutes by default), e.g. 1 to test a client that must re-issue
    IDLE on its own clock while the server keeps chatting.
``host`` (``"127.0.0.1"`` unless given), ``port`` (what clients use: the plain port for none/starttls,
    the TLS port for ssl; fixed on construction, kept across restarts), ``ca_file`` (``Path`` or ``None``),
    ``users``, ``log_file``, ``running``.
``start()``  returns once Dovecot listens and answers with its greeting; raises ``DovecotError`` with the
    log tail otherwise.
``stop()``   SIGTERM (master and the processes serving connections, so open client sessions end with
    ``BYE Server shutting down``) and wait; SIGKILL for anything left after 10 s.  ~0.05 s.  Idempotent.
``restart()`` stop + start: same port, same mail data, same certificate, same UIDVALIDITYs.
``append(user, raw, folder="INBOX", *, flags=(), date=None) -> int``  APPEND (bare LF/CR become CRLF);
    returns the new UID (APPENDUID).  The folder is created if missing.
``append_many(user, raws, folder="INBOX", *, flags=()) -> list[int]``  same, for many messages: one
    connection, MULTIAPPEND + LITERAL+ in batches of 250 (500 small messages: ~0.3 s).
``uids(user, folder="INBOX") -> list[int]``  ``UID SEARCH UNDELETED`` (ascending).
``flags(user, uid, folder="INBOX") -> set[str]``  e.g. ``{"\\\\Seen", "\\\\Answered", "$Forwarded"}``
    (``\\\\Recent`` left out); ``KeyError`` if the UID is not there.
``folders(user) -> list[str]``  all folder names (LIST "" "*"), sorted.
``uidvalidity(user, folder="INBOX") -> int``
``reset_folder(user, folder)``  DELETE + CREATE (creates it if it did not exist); the UIDVALIDITY is
    guaranteed to change.  ``folder`` must not be INBOX.
Extras: ``create_folder(user, folder)``, ``set_flags(user, uid, *flags, folder="INBOX")`` (adds flags),
``connect(user)`` (context manager yielding a logged-in ``imaplib.IMAP4``, TLS per mode, always closed),
``ssl_context()``, ``capabilities(user)`` (post-login list), ``logins()`` (successful logins from the
log: ``[{"user", "method", "tls"}]``), ``log_tail(n)``, ``maildir(user)``.  Note that the helper's own
calls log in too (and show up in ``logins()``).
Module level: ``DEFAULT_USERS``, ``make_dovecot(tmp_path, **kw)``, fixture ``dovecot_factory``,
``DovecotError``, ``free_port()``, ``imap_utf7_encode/decode``.

Dovecot settings that matter here (see ``_config``):
* ``service auth { user = root }``: pytest's ``tmp_path`` sits under ``/tmp/pytest-of-root`` (mode 0700),
  so the default auth user ``dovecot`` cannot read the passwd-file there.
* userdb ``home=<root>/mail/./%u`` + ``valid_chroot_dirs``: the mail processes chroot into
  ``<root>/mail`` (as root, before becoming ``nobody``), for the same 0700-parent reason; each home is
  pre-created and owned by nobody:nogroup.
* ``capability_without`` works through a userdb field ``imap_capability=%{env:...}`` (a value with spaces
  cannot be written in static userdb args; the variable reaches the auth process via
  ``import_environment``).  A global ``imap_capability`` would also replace the pre-login banner,
  losing STARTTLS.  The default post-login list is learnt by logging in once (cached per process).
* ``base_dir`` falls back to a short directory in ``/tmp`` when ``<root>/run`` is too long for unix
  socket paths (108 bytes).
* Wrong passwords: by default Dovecot delays failures and the anvil auth penalty doubles the delay per
  failure from the same IP (measured: 0.5, 4.5, 8.5 s ...); ``auth_failure_delay = 0`` plus
  ``service anvil { unix_listener anvil-auth-penalty { mode = 0 } }`` leave a flat ~0.5 s per failed
  login (apparently the granularity of the auth process's failure queue; ``nodelay`` did not help).
* ``mail_fsync = never`` (fast appends).
* ``stop()``: on SIGTERM the master leaves sessions running (they keep serving their clients after it
  exited) and ends with a flat one-second sleep after SIGQUITting its log process; so the helper
  SIGTERMs the master plus the imap/imap-login processes, and kills the master once only the log
  process is left (everything runs in one process group; stragglers get SIGKILL).
"""
from __future__ import annotations

import base64
import contextlib
import imaplib
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

DOVECOT_BIN = shutil.which("dovecot") or "/usr/sbin/dovecot"
DEFAULT_USERS = {"help": "pw1", "suport": "pw2", "iebildumi": "pw3"}
TLS_MODES = ("none", "ssl", "starttls")
CAPS_ENV = "MAILBOT_TEST_DOVECOT_IMAP_CAPABILITY"
_DEFAULT_CAPS: dict[str, list[str]] = {}  # dovecot binary -> post-login capabilities (learnt once)
_SOCKET_ROOM = 40  # the longest socket path Dovecot makes below base_dir ("/token-login/imap-urlauth" + slack)


class DovecotError(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# --- modified UTF-7 (RFC 3501 5.1.3) for folder names ---------------------------------------------

def imap_utf7_encode(name: str) -> str:
    out, run = [], []

    def flush():
        if run:
            b64 = base64.b64encode("".join(run).encode("utf-16-be")).decode("ascii")
            out.append("&" + b64.rstrip("=").replace("/", ",") + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def imap_utf7_decode(name: str) -> str:
    def repl(m: re.Match) -> str:
        b64 = m.group(1)
        if not b64:
            return "&"
        b64 = b64.replace(",", "/")
        return base64.b64decode(b64 + "=" * (-len(b64) % 4)).decode("utf-16-be")

    return re.sub(r"&([A-Za-z0-9+,]*)-", repl, name)


def _quote(name: str) -> str:
    enc = imap_utf7_encode(name)
    return '"' + enc.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(atom: bytes) -> str:
    s = atom.decode("utf-8", "surrogateescape")
    if len(s) >= 2 and s[0] == s[-1] == '"':
        s = re.sub(r"\\(.)", r"\1", s[1:-1])
    return s


def _crlf(raw: bytes | str) -> bytes:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return re.sub(rb"\r\n|\r|\n", b"\r\n", raw)


def _check(typ: str, dat, what: str):
    if typ != "OK":
        raise DovecotError(f"{what}: {typ} {dat!r}")
    return dat


def _kill(proc: subprocess.Popen) -> None:  # weakref finaliser: never leave a Dovecot behind
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.wait(10)


# --- the server --------------------------------------------------------------------------------------

class Dovecot:
    host: str = "127.0.0.1"

    def __init__(self, root: Path, users: dict[str, str], *, capability_without: tuple[str, ...] = (),
                 tls: str = "none", host: str = "127.0.0.1", idle_notify_seconds: int | None = None):
        if tls not in TLS_MODES:
            raise ValueError(f"tls must be one of {TLS_MODES}, not {tls!r}")
        for user, password in users.items():
            if not user or user != user.lower() or re.search(r"[\s:/]", user) or user in (".", ".."):
                raise ValueError(f"bad login {user!r}: lower case, no whitespace, ':' or '/'")
            if re.search(r"[:\r\n]", password):
                raise ValueError(f"bad password for {user!r}: no ':' or line breaks")
        if isinstance(capability_without, str):
            capability_without = (capability_without,)
        if capability_without and not users:
            raise ValueError("capability_without needs at least one user (to learn the default list)")
        self.root = Path(root).resolve()
        self.users = dict(users)
        self.capability_without = tuple(capability_without)
        self.tls = tls
        self.host = host
        self.idle_notify_seconds = idle_notify_seconds
        self.plain_port = free_port(host) if tls in ("none", "starttls") else 0
        self.ssl_port = free_port(host) if tls == "ssl" else 0
        self.port = self.ssl_port if tls == "ssl" else self.plain_port
        self.ca_file: Path | None = None
        self.key_file: Path | None = None
        self.log_file = self.root / "dovecot.log"
        self._stderr_file = self.root / "dovecot.stderr"
        self._conf = self.root / "dovecot.conf"
        self._capability: str | None = None  # explicit post-login list when capability_without is used
        self._proc: subprocess.Popen | None = None
        self._finalizer = None
        self._tmp_base: Path | None = None
        self._base: Path | None = None
        self._started_once = False
        self._prepare()

    # -- files -------------------------------------------------------------------------------------

    def _prepare(self) -> None:
        if not os.path.exists(DOVECOT_BIN):
            raise DovecotError(f"{DOVECOT_BIN} not found: apt-get install -y dovecot-imapd")
        if os.geteuid() != 0:
            raise DovecotError("the Dovecot test server needs root (it chroots and runs mail as nobody)")
        for d in ("state", "mail"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root / "mail", 0o755)
        for user in self.users:
            home = self.root / "mail" / user
            home.mkdir(exist_ok=True)
            shutil.chown(home, "nobody", "nogroup")
            os.chmod(home, 0o700)
        users_file = self.root / "users"
        users_file.write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in self.users.items()))
        os.chmod(users_file, 0o600)
        if self.tls != "none":
            self.ca_file = self.root / "cert.pem"
            self.key_file = self.root / "key.pem"
            if not (self.ca_file.exists() and self.key_file.exists()):
                self._make_cert()

    def _make_cert(self) -> None:
        names = ["DNS:localhost", "IP:127.0.0.1"]
        try:
            names.append(f"IP:{ipaddress.ip_address(self.host)}")
        except ValueError:
            names.append(f"DNS:{self.host}")
        r = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=" + ",".join(dict.fromkeys(names)), "-days", "1",
             "-keyout", str(self.key_file), "-out", str(self.ca_file)],
            capture_output=True, timeout=60)
        if r.returncode != 0:
            raise DovecotError(f"openssl req failed: {r.stderr.decode(errors='replace')}")
        os.chmod(self.key_file, 0o600)

    def _base_dir(self) -> Path:
        base = self.root / "run"
        if len(os.fsencode(str(base))) + _SOCKET_ROOM <= 107:
            return base
        # unix socket paths are limited to 108 bytes: use a short private dir, removed by stop()
        self._tmp_base = Path(tempfile.mkdtemp(prefix="dovecot-", dir="/tmp"))
        return self._tmp_base

    def _config(self, base_dir: Path) -> str:
        r = self.root
        userdb_args = f"uid=nobody gid=nogroup home={r}/mail/./%u"
        env_import = "TZ CORE_OUTOFMEM CORE_ERROR LISTEN_PID LISTEN_FDS"
        if self._capability is not None:
            userdb_args += f" imap_capability=%{{env:{CAPS_ENV}}}"
            env_import += f" {CAPS_ENV}"
        extra = ""
        if self.idle_notify_seconds is not None:
            extra += f"imap_idle_notify_interval = {int(self.idle_notify_seconds)} secs\n"
        if self.tls == "none":
            tls = "ssl = no\n"
        else:
            tls = f"ssl = required\nssl_cert = <{self.ca_file}\nssl_key = <{self.key_file}\n"
            if os.path.exists("/usr/share/dovecot/dh.pem"):
                tls += "ssl_dh = </usr/share/dovecot/dh.pem\n"
        return f"""# generated by tests/dovecot.py
protocols = imap
listen = {self.host}
base_dir = {base_dir}
state_dir = {r}/state
log_path = {self.log_file}
instance_name = dovecot-test-{self.port}
import_environment = {env_import}
{tls}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_fsync = never
valid_chroot_dirs = {r}/mail
{extra}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/users
}}
userdb {{
  driver = static
  args = {userdb_args}
}}
service auth {{
  user = root
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = {self.host}
    port = {self.plain_port}
  }}
  inet_listener imaps {{
    address = {self.host}
    port = {self.ssl_port}
  }}
}}
"""

    # -- process -----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, n: int = 40) -> str:
        parts = []
        for f in (self.log_file, self._stderr_file):
            if f.exists():
                lines = f.read_text(errors="replace").splitlines()[-n:]
                if lines:
                    parts.append(f"--- {f.name}\n" + "\n".join(lines))
        return "\n".join(parts) or "(no log)"

    def logins(self, at_least: int = 0, timeout: float = 5.0) -> list[dict]:
        """Successful logins from the log, oldest first: ``{"user", "method", "tls"}``.  ``tls`` tells whether
        the session was encrypted (Dovecot logs ``TLS``), e.g. to prove a client really did STARTTLS.
        The log is written a moment after the login answer: ``at_least`` waits for that many entries."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._logins()
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def _logins(self) -> list[dict]:
        out = []
        text = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        for m in re.finditer(r"imap-login: Info: Login: user=<([^>]*)>, method=([^,]+), (.*)", text):
            fields = [f.strip() for f in m.group(3).split(",")]
            out.append({"user": m.group(1), "method": m.group(2), "tls": any(f.startswith("TLS") for f in fields)})
        return out

    def start(self) -> None:
        if self.running:
            return
        if self.capability_without and self._capability is None:
            caps = _DEFAULT_CAPS.get(DOVECOT_BIN)
            if caps is None:
                self._launch()
                try:
                    caps = self.capabilities(next(iter(self.users)))
                finally:
                    self.stop()
                _DEFAULT_CAPS[DOVECOT_BIN] = caps
            hide = {c.upper() for c in self.capability_without}
            unknown = hide - {c.upper() for c in caps}
            if unknown:
                raise ValueError(f"Dovecot does not advertise {sorted(unknown)}; it has {caps}")
            self._capability = " ".join(c for c in caps if c.upper() not in hide)
        self._launch()

    def _launch(self) -> None:
        base_dir = self._base = self._base_dir()
        self._conf.write_text(self._config(base_dir))
        env = dict(os.environ)
        if self._capability is not None:
            env[CAPS_ENV] = self._capability
        deadline = time.monotonic() + 15
        while True:
            log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            with open(self._stderr_file, "ab") as err:
                proc = subprocess.Popen([DOVECOT_BIN, "-F", "-c", str(self._conf)], stdin=subprocess.DEVNULL,
                                        stdout=err, stderr=err, env=env, start_new_session=True)
            self._proc = proc
            self._finalizer = weakref.finalize(self, _kill, proc)
            try:
                self._wait_ready(proc, log_offset, deadline)
                self._started_once = True
                return
            except _PortBusy:
                # a port race with another process, or a just-stopped listener (restart): before the
                # first successful start take fresh ports, afterwards keep retrying the same port
                self._reap()
                if not self._started_once:
                    self.plain_port = free_port(self.host) if self.plain_port else 0
                    self.ssl_port = free_port(self.host) if self.ssl_port else 0
                    self.port = self.ssl_port or self.plain_port
                    self._conf.write_text(self._config(base_dir))
                if time.monotonic() > deadline:
                    self.stop()
                    raise DovecotError(f"port {self.port} stays busy\n{self.log_tail()}") from None
                time.sleep(0.1)
            except BaseException:
                self.stop()
                raise

    def _wait_ready(self, proc: subprocess.Popen, log_offset: int, deadline: float) -> None:
        # The master logs "starting up" only after binding its listeners; then wait for the greeting.
        started = False
        while True:
            if proc.poll() is not None:
                tail = self.log_tail()
                if "Address already in use" in self._new_log(log_offset):
                    raise _PortBusy()
                raise DovecotError(f"dovecot exited with {proc.returncode}\n{tail}")
            if not started:
                started = "starting up" in self._new_log(log_offset)
            if started and self._greets():
                return
            if time.monotonic() > deadline:
                raise DovecotError(f"dovecot did not become ready on port {self.port}\n{self.log_tail()}")
            time.sleep(0.01)

    def _new_log(self, offset: int) -> str:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(offset)
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=2) as s:
                if self.tls == "ssl":
                    with self.ssl_context().wrap_socket(s, server_hostname="localhost") as t:
                        return t.recv(200).startswith(b"* OK")
                return s.recv(200).startswith(b"* OK")
        except OSError:  # ssl.SSLError is an OSError too
            return False

    def _reap(self) -> None:
        proc, self._proc = self._proc, None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if proc is None:
            return
        # SIGTERM the master and the processes serving connections: on SIGTERM the master alone stops
        # its helper processes but exits leaving sessions (e.g. the code under test idling in a folder)
        # alive and serving.  The master then SIGQUITs the log process and sleeps a flat second
        # before exiting; once only the log process is left the master is killed instead, and the log
        # process writes the rest and exits at EOF: stop() takes ~0.1 s instead of ~1.1 s.
        # Everything runs in the master's process group (start_new_session): stragglers get SIGKILL.
        pgid = proc.pid
        for pid in [pgid, *_group_members(pgid)]:
            if pid == pgid or _comm(pid) in ("imap", "imap-login"):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            if all(_comm(k) == "log" for k in _live_children(proc.pid)):
                proc.kill()
                break
            time.sleep(0.005)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        deadline = time.monotonic() + 3
        while (left := _group_members(pgid)) and time.monotonic() < deadline:
            time.sleep(0.005)
        if left:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            deadline = time.monotonic() + 3
            while _group_members(pgid) and time.monotonic() < deadline:
                time.sleep(0.01)
        with contextlib.suppress(OSError):
            os.unlink(Path(self._base) / "master.pid")

    def stop(self) -> None:
        self._reap()
        if self._tmp_base is not None:
            shutil.rmtree(self._tmp_base, ignore_errors=True)
            self._tmp_base = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> "Dovecot":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<Dovecot {self.host}:{self.port} tls={self.tls} {'running' if self.running else 'stopped'}>"

    # -- IMAP client side --------------------------------------------------------------------------

    def ssl_context(self) -> ssl.SSLContext:
        if self.ca_file is None:
            raise DovecotError("tls='none': no certificate")
        return ssl.create_default_context(cafile=str(self.ca_file))

    @contextlib.contextmanager
    def connect(self, user: str, *, login: bool = True) -> Iterator[imaplib.IMAP4]:
        """A connection (logged in as ``user`` unless login=False), closed on exit."""
        if self.tls == "ssl":
            c = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.ssl_context(), timeout=30)
        else:
            c = imaplib.IMAP4(self.host, self.port, timeout=30)
        try:
            if self.tls == "starttls":
                c.starttls(ssl_context=self.ssl_context())
            if login:
                c.login(user, self.users[user])
            yield c
        finally:
            try:
                c.logout()  # closes the socket when LOGOUT gets an answer
            except (imaplib.IMAP4.error, OSError):  # the server went away (stop() in the block, ...)
                with contextlib.suppress(OSError):
                    c.shutdown()

    def capabilities(self, user: str) -> list[str]:
        with self.connect(user) as c:
            dat = _check(*c.capability(), "CAPABILITY")
        return dat[-1].decode().split()

    def _append(self, c: imaplib.IMAP4, raw: bytes | str, folder: str, flags: Iterable[str], date) -> int:
        flag_str = "(" + " ".join(flags) + ")" if flags else None
        when = imaplib.Time2Internaldate(date) if date is not None else None
        msg = _crlf(raw)
        typ, dat = c.append(_quote(folder), flag_str, when, msg)
        if typ == "NO" and b"TRYCREATE" in (dat[0] or b""):
            _check(*c.create(_quote(folder)), f"CREATE {folder!r}")
            typ, dat = c.append(_quote(folder), flag_str, when, msg)
        _check(typ, dat, f"APPEND to {folder!r}")
        m = re.search(rb"\[APPENDUID (\d+) (\d+)\]", dat[0] or b"")
        if not m:
            raise DovecotError(f"no APPENDUID in {dat!r}")
        return int(m.group(2))

    def append(self, user: str, raw: bytes | str, folder: str = "INBOX", *, flags: Iterable[str] = (),
               date=None) -> int:
        with self.connect(user) as c:
            return self._append(c, raw, folder, tuple(flags), date)

    def append_many(self, user: str, raws: Iterable[bytes | str], folder: str = "INBOX", *,
                    flags: Iterable[str] = ()) -> list[int]:
        """One connection, and MULTIAPPEND (RFC 3502) with LITERAL+ in batches: one command and one
        server transaction per batch, no round trip per message (500 small messages: ~0.3 s, against
        ~1 s for one APPEND each).  Dovecot implements both even when capability_without hides them."""
        msgs = [_crlf(raw) for raw in raws]
        flag_part = b" (" + " ".join(flags).encode() + b")" if flags else b""
        uids: list[int] = []
        with self.connect(user) as c:
            batch: list[bytes] = []
            for i, msg in enumerate(msgs):
                batch.append(msg)
                if len(batch) == 250 or sum(map(len, batch)) > 8_000_000 or i == len(msgs) - 1:
                    uids += self._multiappend(c, folder, batch, flag_part)
                    batch = []
        return uids

    def _multiappend(self, c: imaplib.IMAP4, folder: str, msgs: list[bytes], flag_part: bytes) -> list[int]:
        # imaplib cannot send this command itself; _new_tag/send/_command_complete are what its own
        # _simple_command uses.
        for attempt in (1, 2):
            tag = c._new_tag()
            c.tagged_commands[tag] = None
            c.send(tag + b" APPEND " + _quote(folder).encode()
                   + b"".join(flag_part + b" {%d+}\r\n" % len(m) + m for m in msgs) + b"\r\n")
            typ, dat = c._command_complete("APPEND", tag)
            if typ == "NO" and attempt == 1 and b"TRYCREATE" in (dat[0] or b""):
                _check(*c.create(_quote(folder)), f"CREATE {folder!r}")
                continue
            break
        _check(typ, dat, f"APPEND to {folder!r}")
        m = re.search(rb"\[APPENDUID \d+ ([0-9:,]+)\]", dat[0] or b"")
        if not m:
            raise DovecotError(f"no APPENDUID in {dat!r}")
        uids = []
        for part in m.group(1).decode().split(","):
            lo, _, hi = part.partition(":")
            uids += range(int(lo), int(hi or lo) + 1)
        if len(uids) != len(msgs):
            raise DovecotError(f"APPENDUID {m.group(1)!r} does not match {len(msgs)} messages")
        return uids

    def _examine(self, c: imaplib.IMAP4, folder: str) -> None:
        _check(*c.select(_quote(folder), readonly=True), f"EXAMINE {folder!r}")

    def uids(self, user: str, folder: str = "INBOX") -> list[int]:
        with self.connect(user) as c:
            self._examine(c, folder)
            dat = _check(*c.uid("SEARCH", "UNDELETED"), "UID SEARCH")
        return sorted(int(x) for x in b" ".join(d for d in dat if d).split())

    def flags(self, user: str, uid: int, folder: str = "INBOX") -> set[str]:
        with self.connect(user) as c:
            self._examine(c, folder)
            dat = _check(*c.uid("FETCH", str(int(uid)), "(FLAGS)"), "UID FETCH")
        for item in dat:
            line = item[0] if isinstance(item, tuple) else item
            if not line:
                continue
            if not re.search(rb"UID %d\b" % int(uid), line):
                continue
            m = re.search(rb"FLAGS \(([^)]*)\)", line)
            if m:
                return {f for f in m.group(1).decode().split() if f != "\\Recent"}
        raise KeyError(f"no UID {uid} in {user}/{folder}")

    def set_flags(self, user: str, uid: int, *flags: str, folder: str = "INBOX") -> None:
        """Add ``flags`` to a message (UID STORE +FLAGS)."""
        with self.connect(user) as c:
            _check(*c.select(_quote(folder)), f"SELECT {folder!r}")
            _check(*c.uid("STORE", str(int(uid)), "+FLAGS.SILENT", "(" + " ".join(flags) + ")"), "UID STORE")

    def folders(self, user: str) -> list[str]:
        with self.connect(user) as c:
            dat = _check(*c.list('""', '"*"'), "LIST")
        names = []
        for item in dat:
            if item is None:
                continue
            if isinstance(item, tuple):  # the name came as a literal
                names.append(item[1].decode("utf-8", "surrogateescape"))
                continue
            m = re.match(rb'\([^)]*\) (?:NIL|"(?:[^"\\]|\\.)*") (.*)$', item)
            if not m:
                raise DovecotError(f"cannot parse LIST reply {item!r}")
            names.append(_unquote(m.group(1)))
        return sorted(imap_utf7_decode(n) for n in names)

    def uidvalidity(self, user: str, folder: str = "INBOX") -> int:
        with self.connect(user) as c:
            return self._uidvalidity(c, folder)

    def _uidvalidity(self, c: imaplib.IMAP4, folder: str) -> int:
        dat = _check(*c.status(_quote(folder), "(UIDVALIDITY)"), f"STATUS {folder!r}")
        m = re.search(rb"UIDVALIDITY (\d+)", b" ".join(d if isinstance(d, bytes) else b"" for d in dat))
        if not m:
            raise DovecotError(f"no UIDVALIDITY in {dat!r}")
        return int(m.group(1))

    def create_folder(self, user: str, folder: str) -> None:
        with self.connect(user) as c:
            _check(*c.create(_quote(folder)), f"CREATE {folder!r}")

    def reset_folder(self, user: str, folder: str) -> None:
        if folder.upper() == "INBOX":
            raise ValueError("reset_folder cannot reset INBOX")
        with self.connect(user) as c:
            typ, _ = c.status(_quote(folder), "(UIDVALIDITY)")
            old = self._uidvalidity(c, folder) if typ == "OK" else None
            if old is not None:
                _check(*c.delete(_quote(folder)), f"DELETE {folder!r}")
            _check(*c.create(_quote(folder)), f"CREATE {folder!r}")
            new = self._uidvalidity(c, folder)
        if new == old:
            raise DovecotError(f"UIDVALIDITY of {folder!r} did not change ({new})")

    def maildir(self, user: str) -> Path:
        """The user's Maildir on disk (files belong to nobody; read-only use, please)."""
        return self.root / "mail" / user / "Maildir"


class _PortBusy(Exception):
    pass


def _live_children(pid: int) -> list[int]:
    """Child processes of ``pid`` that are not zombies (Linux /proc)."""
    try:
        kids = [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:  # kernel without CONFIG_PROC_CHILDREN: scan
        kids = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                with contextlib.suppress(OSError):
                    if _stat(int(d))[1] == pid:
                        kids.append(int(d))
    live = []
    for k in kids:
        with contextlib.suppress(OSError):
            if _stat(k)[0] not in ("Z", "X"):
                live.append(k)
    return live


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                rest = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
                if int(rest[2]) == pgid and rest[0] not in ("Z", "X"):
                    out.append(int(d))
    return out


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        return _stat(pid)[0] not in ("Z", "X")
    except OSError:
        return False


def _stat(pid: int) -> tuple[str, int]:
    """(state, ppid) from /proc/PID/stat."""
    rest = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return rest[0], int(rest[1])


# --- pytest glue -------------------------------------------------------------------------------------

def make_dovecot(tmp_path: Path, users: dict[str, str] | None = None, *, name: str = "dovecot",
                 start: bool = True, **kw) -> Dovecot:
    """A Dovecot in ``tmp_path/name`` with ``users`` (default DEFAULT_USERS), started unless start=False.

    The caller stops it: ``with make_dovecot(tmp_path) as d: ...`` or ``d.stop()``.
    Keywords: ``tls``, ``capability_without``, ``host``, ``idle_notify_seconds``.
    """
    d = Dovecot(Path(tmp_path) / name, dict(DEFAULT_USERS if users is None else users), **kw)
    if start:
        d.start()
    return d


@pytest.fixture
def dovecot_factory(tmp_path):
    """``dovecot_factory(**kw) -> Dovecot`` (started; same keywords as make_dovecot); all stopped at
    teardown.  tests/conftest.py imports it, so every test may ask for it."""
    made: list[Dovecot] = []

    def make(users: dict[str, str] | None = None, **kw) -> Dovecot:
        kw.setdefault("name", f"dovecot{len(made) or ''}")
        d = make_dovecot(tmp_path, users, start=False, **kw)
        made.append(d)
        d.start()
        return d

    yield make
    for d in made:
        d.stop()
