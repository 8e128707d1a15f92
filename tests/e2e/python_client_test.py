"""The kstack server driven by a real client library: Debian's python3-kubernetes.

Usage: /usr/bin/python3 python_client_test.py PATH/TO/kstack

Starts `kstack server` on a fresh data directory and a free port, loads the kubeconfig it
writes with kubernetes.config.load_kube_config, then lists, creates, patches (strategic merge,
JSON patch, JSON merge patch), watches, deletes, and reads 404 and 409 errors as ApiException.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

KSTACK = None


class Server:
    """`kstack server` as a user starts it; the two lines it prints name URL and kubeconfig."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="kstack-e2e-python-")
        self.err = open(os.path.join(self.root, "server.err"), "wb")
        self.process = subprocess.Popen(
            [KSTACK, "server", "--data-dir", os.path.join(self.root, "data"), "--port", "0"],
            stdout=subprocess.PIPE, stderr=self.err, stdin=subprocess.DEVNULL)
        listening = self.process.stdout.readline().decode().strip()
        kubeconfig = self.process.stdout.readline().decode().strip()
        if not listening.startswith("kstack server listening on ") or not kubeconfig.startswith(
                "kubeconfig: "):
            self.stop()
            raise RuntimeError("server did not start: %r %r\n%s" % (listening, kubeconfig,
                                                                   self.log()))
        self.url = listening[len("kstack server listening on "):]
        self.kubeconfig = kubeconfig[len("kubeconfig: "):]

    def log(self):
        with open(os.path.join(self.root, "server.err"), "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.err.close()
        shutil.rmtree(self.root, ignore_errors=True)


class PythonClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.api_client = config.new_client_from_config(config_file=cls.server.kubeconfig)
        # load_kube_config is the usual entry point: it sets the default configuration.
        config.load_kube_config(config_file=cls.server.kubeconfig)
        cls.core = client.CoreV1Api()
        cls.apps = client.AppsV1Api()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_01_lists_namespaces(self):
        names = {ns.metadata.name for ns in self.core.list_namespace().items}
        for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
            self.assertIn(name, names)

    def test_02_configmap_create_patch_delete(self):
        body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings", labels={"a": "1"}),
                                  data={"color": "blue"})
        created = self.core.create_namespaced_config_map("default", body)
        self.assertEqual(created.data, {"color": "blue"})
        self.assertTrue(created.metadata.uid)
        self.assertTrue(created.metadata.resource_version)

        # A dict is sent as a strategic merge patch.
        patched = self.core.patch_namespaced_config_map("settings", "default",
                                                        {"data": {"size": "L"}})
        self.assertEqual(patched.data, {"color": "blue", "size": "L"})
        # A list is sent as a JSON patch.
        patched = self.core.patch_namespaced_config_map(
            "settings", "default", [{"op": "replace", "path": "/data/color", "value": "red"}])
        self.assertEqual(patched.data, {"color": "red", "size": "L"})
        # A JSON merge patch through the client's own call_api with its content type.
        merged = self.api_client.call_api(
            "/api/v1/namespaces/{namespace}/configmaps/{name}", "PATCH",
            path_params={"namespace": "default", "name": "settings"},
            header_params={"Content-Type": "application/merge-patch+json",
                           "Accept": "application/json"},
            body={"data": {"size": None}, "metadata": {"labels": {"b": "2"}}},
            response_type="V1ConfigMap", auth_settings=["BearerToken"], _return_http_data_only=True)
        self.assertEqual(merged.data, {"color": "red"})
        self.assertEqual(merged.metadata.labels, {"a": "1", "b": "2"})

        with self.assertRaises(ApiException) as duplicate:
            self.core.create_namespaced_config_map("default", body)
        self.assertEqual(duplicate.exception.status, 409)

        self.core.delete_namespaced_config_map("settings", "default")
        with self.assertRaises(ApiException) as missing:
            self.core.read_namespaced_config_map("settings", "default")
        self.assertEqual(missing.exception.status, 404)

    def test_03_deployment_create_and_patch(self):
        deployment = client.V1Deployment(
            metadata=client.V1ObjectMeta(name="web"),
            spec=client.V1DeploymentSpec(
                replicas=2,
                selector=client.V1LabelSelector(match_labels={"app": "web"}),
                template=client.V1PodTemplateSpec(
                    metadata=client.V1ObjectMeta(labels={"app": "web"}),
                    spec=client.V1PodSpec(containers=[
                        client.V1Container(name="web", image="nginx:1.25"),
                        client.V1Container(name="sidecar", image="busybox:1.36"),
                    ]))))
        created = self.apps.create_namespaced_deployment("default", deployment)
        self.assertEqual(created.spec.replicas, 2)
        # Strategic merge: containers merge by name, so the sidecar stays.
        patched = self.apps.patch_namespaced_deployment(
            "web", "default",
            {"spec": {"replicas": 3,
                      "template": {"spec": {"containers": [{"name": "web",
                                                            "image": "nginx:1.26"}]}}}})
        self.assertEqual(patched.spec.replicas, 3)
        images = {c.name: c.image for c in patched.spec.template.spec.containers}
        self.assertEqual(images, {"web": "nginx:1.26", "sidecar": "busybox:1.36"})
        read = self.apps.read_namespaced_deployment("web", "default")
        self.assertEqual(read.metadata.generation, 2)
        self.apps.delete_namespaced_deployment("web", "default")
        with self.assertRaises(ApiException) as missing:
            self.apps.read_namespaced_deployment("web", "default")
        self.assertEqual(missing.exception.status, 404)

    def test_04_watch_configmaps(self):
        start = self.core.list_namespaced_config_map("default").metadata.resource_version
        events = []
        done = threading.Event()

        def follow():
            w = watch.Watch()
            for event in w.stream(self.core.list_namespaced_config_map, "default",
                                  resource_version=start, timeout_seconds=10):
                if event["object"].metadata.name != "watched":
                    continue
                events.append((event["type"], dict(event["object"].data or {})))
                if event["type"] == "DELETED":
                    w.stop()
            done.set()

        follower = threading.Thread(target=follow, daemon=True)
        follower.start()
        time.sleep(0.2)
        self.core.create_namespaced_config_map(
            "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched"),
                                          data={"n": "1"}))
        self.core.patch_namespaced_config_map("watched", "default", {"data": {"n": "2"}})
        self.core.delete_namespaced_config_map("watched", "default")
        self.assertTrue(done.wait(10), "the watch did not see the deletion: %r" % events)
        self.assertEqual(events, [("ADDED", {"n": "1"}), ("MODIFIED", {"n": "2"}),
                                  ("DELETED", {"n": "2"})])


def main():
    global KSTACK
    if len(sys.argv) < 2:
        print("usage: python_client_test.py PATH/TO/kstack", file=sys.stderr)
        return 2
    KSTACK = os.path.abspath(sys.argv[1])
    program = unittest.main(argv=[sys.argv[0]] + sys.argv[2:], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
