"""The shipped examples, served by the real binary over real HTTP."""
import json
import os
import unittest

from harness import SOURCE, Server, main


def example(name):
    return os.path.join(SOURCE, "examples", name, "worker.js")


class Examples(unittest.TestCase):
    def test_hello(self):
        with Server(example("hello")) as s:
            status, headers, body, _ = s.request("GET", "/")
            self.assertEqual(status, 200)
            self.assertEqual(body, b"Hello World!")
            self.assertEqual(headers["content-type"], "text/plain;charset=UTF-8")
            self.assertEqual(headers["content-length"], "12")

    def test_json_api(self):
        with Server(example("json-api")) as s:
            status, headers, body, _ = s.request("GET", "/api/hello")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body), {"hello": "world"})
            self.assertEqual(headers["content-type"], "application/json")
            status, _, body, _ = s.request("GET", "/nope")
            self.assertEqual(status, 404)
            status, _, body, _ = s.request("GET", "/api/greet?name=Ada")
            self.assertEqual(json.loads(body), {"greeting": "Hello, Ada!"})  # [vars] from wrangler.toml
            status, _, body, _ = s.request("POST", "/api/echo", body=b'{"a":[1,2]}',
                                           headers={"content-type": "application/json"})
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["received"], {"a": [1, 2]})
            status, _, body, _ = s.request("POST", "/api/echo", body=b"{not json")
            self.assertEqual(status, 400)

    def test_service_worker(self):
        with Server(example("service-worker")) as s:
            status, _, body, _ = s.request("GET", "/x")
            self.assertEqual(status, 200)
            self.assertEqual(body, b"Hello from a service worker at /x (configured in wrangler.toml)")

    def test_var_override(self):
        with Server(example("json-api"), "--var", "GREETING=Hi") as s:
            _, _, body, _ = s.request("GET", "/api/greet?name=Bo")
            self.assertEqual(json.loads(body), {"greeting": "Hi, Bo!"})


if __name__ == "__main__":
    main()
