"""Server processes: spawn in their own session, sample the session's RSS and CPU from /proc,
poll for the first 200, stop by process group."""

import http.client
import os
import signal
import socket
import subprocess
import threading
import time

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_stat(pid):
    """Fields of /proc/PID/stat after the command name (index 0 is field 3, `state`)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return data[data.rindex(b")") + 2:].split()


def session_members(sid):
    """PIDs whose session id is `sid` (the server was started with start_new_session, so its
    whole process tree, including re-parented grandchildren, shares the session)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        fields = _read_stat(name)
        # fields[3] is field 6 of stat(5): session.
        if fields is not None and int(fields[3]) == sid:
            pids.append(int(name))
    return pids


def tree_usage(sid):
    """(rss_bytes, cpu_seconds, process_count) summed over the session.

    CPU is utime+stime+cutime+cstime (fields 14-17), so time of reaped children stays counted.
    RSS is field 24; shared pages of multi-process servers are counted once per process.
    """
    rss = 0
    ticks = 0
    count = 0
    for pid in session_members(sid):
        fields = _read_stat(pid)
        if fields is None:
            continue
        ticks += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        rss += int(fields[21]) * PAGE_SIZE
        count += 1
    return rss, ticks / CLOCK_TICKS, count


class PeakSampler(threading.Thread):
    """Samples the session's RSS every `interval` seconds; `peak` is the largest sum seen."""

    def __init__(self, sid, interval=0.1):
        super().__init__(daemon=True)
        self.sid = sid
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            rss, _, _ = tree_usage(self.sid)
            self.peak = max(self.peak, rss)
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()
        rss, _, _ = tree_usage(self.sid)
        self.peak = max(self.peak, rss)


class Server:
    """One server process tree, started in a new session so it can be stopped as a group."""

    def __init__(self, cmd, cwd, env, log_path):
        self.cmd = cmd
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def exit_reason(self):
        code = self.proc.poll()
        if code is None:
            return "still running"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exited with {code}"

    def log_tail(self, limit=1500):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except OSError:
            return ""
        return data[-limit:].decode("utf-8", "replace")

    def stop(self, grace=2.0):
        """SIGTERM to the process group, SIGKILL after `grace` seconds."""
        if self.alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Members of the group may outlive the leader (e.g. nginx workers).
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        # Killed members exit asynchronously; wait until none is left running so the next run
        # starts on a quiet machine.
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline and self._live_members():
            time.sleep(0.01)
        self._log.close()

    def _live_members(self):
        live = []
        for pid in session_members(self.pid):
            fields = _read_stat(pid)
            if fields is not None and fields[0] not in (b"Z", b"X"):
                live.append(pid)
        return live


def http_request(port, req, timeout=5.0):
    """One request on a fresh connection; returns (status, headers as [(name, value)], body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = req.get("body")
        conn.request(req["method"], req["path"], body=body, headers=req.get("headers", {}))
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, [(k.lower(), v) for k, v in resp.getheaders()], data
    finally:
        conn.close()


def wait_first_200(server, port, req, timeout=60.0, interval=0.005):
    """Polls until the server answers `req` with 200. Returns (seconds since spawn, response)
    or raises RuntimeError with the reason."""
    deadline = server.started_at + timeout
    last = "no answer"
    first_bad = None  # when the first non-200 answer came; a server that keeps failing fails fast
    while True:
        if not server.alive():
            raise RuntimeError(f"{server.exit_reason()} before serving: {server.log_tail()}")
        try:
            status, headers, body = http_request(port, req, timeout=5.0)
            if status == 200:
                return time.perf_counter() - server.started_at, (status, headers, body)
            last = f"status {status}: {body[:200]!r}"
            first_bad = first_bad or time.perf_counter()
            if time.perf_counter() - first_bad > 3.0:
                raise RuntimeError(f"answers {last}; log: {server.log_tail()}")
        except (http.client.HTTPException, OSError) as e:  # refused, reset, timeout, bad reply
            last = f"{type(e).__name__}: {e}"
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no 200 within {timeout:.0f} s ({last}); log: {server.log_tail()}")
        time.sleep(interval)
