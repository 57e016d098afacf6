"""How each runtime serves an unmodified worker file: binary lookup, version, command line.

Anchors come from npm into bench/.tools (see setup.sh); Node is the machine's; nginx and wrk are
Debian's; pactown-run is the tree's build (or $PACTOWN_RUN)."""

import os
import shutil
import subprocess

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT_DIR = os.path.dirname(BENCH_DIR)
TOOLS_DIR = os.path.join(BENCH_DIR, ".tools")
NODE_MODULES = os.path.join(TOOLS_DIR, "node_modules")
ADAPTERS = os.path.join(BENCH_DIR, "adapters")

# What every adapter passes as env; pactown-run gets it with --var, workerd as a text binding.
ENV_VARS = {"GREETING": "hello"}
WORKERD_COMPAT_DATE = "2024-09-23"


def _is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF" and os.access(path, os.X_OK)
    except OSError:
        return False


def _first_elf(candidates):
    for path in candidates:
        if _is_elf(path):
            return path
    return None


def _npm_binary(platform_paths, package, bin_name):
    """The native binary of an npm-shipped runtime: the platform package's file first (so no
    Node.js shim sits between us and the server), then the main package's, then .bin."""
    candidates = [os.path.join(NODE_MODULES, p) for p in platform_paths]
    candidates.append(os.path.join(NODE_MODULES, package, "bin", bin_name))
    candidates.append(os.path.join(NODE_MODULES, ".bin", bin_name))
    return _first_elf(candidates)


def _version(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30,
                             stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    text = out.stdout.decode("utf-8", "replace").strip()
    if out.returncode != 0:
        return None, f"{' '.join(cmd)} exited {out.returncode}: {text[:300]}"
    return text.splitlines()[0] if text else "?", None


class Runtime:
    name = "?"
    js = True  # False for the nginx baseline: not a peer in ratios

    def __init__(self, options):
        self.options = options
        self.binary = None
        self.version = None
        self.problem = None

    def locate(self):
        """Sets binary and version, or problem (why this runtime cannot run)."""
        raise NotImplementedError

    def supports(self, workload):
        return True

    def command(self, worker, tmpdir, port):
        """(argv, extra environment) serving `worker` on 127.0.0.1:port; tmpdir is the cwd."""
        raise NotImplementedError

    def _found(self, binary, version_cmd, missing):
        if binary is None:
            self.problem = missing
            return
        self.binary = binary
        self.version, self.problem = _version(version_cmd)


class PactownRun(Runtime):
    name = "pactown-run"

    def locate(self):
        path = os.environ.get("PACTOWN_RUN") or os.path.join(ROOT_DIR, "build", "pactown-run")
        if not _is_elf(path):
            self.problem = f"{path} not built"
            return
        self.binary = path
        version, problem = _version([path, "--version"])
        if problem:
            self.problem = problem
            return
        try:
            rev = subprocess.run(["git", "-C", ROOT_DIR, "rev-parse", "--short", "HEAD"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=10)
            self.version = f"{version} (tree at git {rev.stdout.decode().strip()})"
        except (OSError, subprocess.TimeoutExpired):
            self.version = version

    def command(self, worker, tmpdir, port):
        argv = [self.binary, "--port", str(port), "--host", "127.0.0.1", "--no-access-log",
                "--threads", str(self.options.threads)]
        for key, value in ENV_VARS.items():
            argv += ["--var", f"{key}={value}"]
        # `--` ends the options: --var takes several values and would swallow the script.
        return argv + ["--", worker], {}


class Workerd(Runtime):
    name = "workerd"

    def locate(self):
        binary = _npm_binary(["@cloudflare/workerd-linux-64/bin/workerd"], "workerd", "workerd")
        self._found(binary, [binary or "workerd", "--version"],
                    "npm package workerd not installed (bench/setup.sh)")

    def command(self, worker, tmpdir, port):
        os.symlink(worker, os.path.join(tmpdir, "worker.js"))
        bindings = ", ".join(f'(name = "{k}", text = "{v}")' for k, v in ENV_VARS.items())
        config = f"""using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .bench) ],
  sockets = [ (name = "http", address = "127.0.0.1:{port}", http = (), service = "main") ],
);

const bench :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "{WORKERD_COMPAT_DATE}",
  bindings = [ {bindings} ],
);
"""
        with open(os.path.join(tmpdir, "config.capnp"), "w") as f:
            f.write(config)
        return [self.binary, "serve", "config.capnp"], {}


class Deno(Runtime):
    name = "deno"

    def locate(self):
        binary = _npm_binary(["@deno/linux-x64-glibc/deno", "deno/deno"], "deno", "deno")
        self._found(binary, [binary or "deno", "--version"],
                    "npm package deno not installed (bench/setup.sh)")

    def command(self, worker, tmpdir, port):
        argv = [self.binary, "serve", "-A", "--host", "127.0.0.1", "--port", str(port),
                os.path.join(ADAPTERS, "deno.mjs")]
        env = {"BENCH_WORKER": worker, "DENO_DIR": os.path.join(TOOLS_DIR, "deno-dir"),
               "DENO_NO_UPDATE_CHECK": "1", "NO_COLOR": "1"}
        return argv, env


class Bun(Runtime):
    name = "bun"

    def locate(self):
        binary = _npm_binary(["@oven/bun-linux-x64/bin/bun", "bun/bin/bun.exe"], "bun", "bun")
        self._found(binary, [binary or "bun", "--version"],
                    "npm package bun not installed (bench/setup.sh)")

    def command(self, worker, tmpdir, port):
        argv = [self.binary, os.path.join(ADAPTERS, "bun.mjs")]
        return argv, {"BENCH_WORKER": worker, "BENCH_HOST": "127.0.0.1",
                      "BENCH_PORT": str(port), "DO_NOT_TRACK": "1"}


class Node(Runtime):
    name = "node"

    def locate(self):
        binary = shutil.which("node")
        self._found(binary, [binary or "node", "--version"], "node not on PATH")

    def command(self, worker, tmpdir, port):
        argv = [self.binary, os.path.join(ADAPTERS, "node.mjs")]
        return argv, {"BENCH_WORKER": worker, "BENCH_HOST": "127.0.0.1", "BENCH_PORT": str(port)}


class Nginx(Runtime):
    """Static-response baseline for `hello` only: the ceiling of an HTTP server on this machine."""
    name = "nginx"
    js = False

    def locate(self):
        binary = shutil.which("nginx") or _first_elf(["/usr/sbin/nginx"])
        self._found(binary, [binary or "nginx", "-v"], "nginx not installed (bench/setup.sh)")
        if self.version:
            self.version = self.version.replace("nginx version: ", "")

    def supports(self, workload):
        return workload == "hello"

    def command(self, worker, tmpdir, port):
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(tmpdir, sub), exist_ok=True)
        conf = f"""daemon off;
master_process on;
worker_processes {self.options.threads};
pid {tmpdir}/nginx.pid;
error_log {tmpdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path {tmpdir}/body;
  proxy_temp_path {tmpdir}/proxy;
  fastcgi_temp_path {tmpdir}/fastcgi;
  uwsgi_temp_path {tmpdir}/uwsgi;
  scgi_temp_path {tmpdir}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      default_type "text/plain;charset=UTF-8";
      return 200 "Hello World!";
    }}
  }}
}}
"""
        path = os.path.join(tmpdir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return [self.binary, "-p", tmpdir, "-c", path, "-e", os.path.join(tmpdir, "error.log")], {}


ALL = [PactownRun, Workerd, Deno, Bun, Node, Nginx]
ALIASES = {"pactown": "pactown-run", "pt": "pactown-run"}
