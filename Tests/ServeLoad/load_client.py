"""Tills under load: CLIENTS threads post ORDERS distinct orders in batches of BATCH to cadang
serve's ingest endpoint over loopback, as tills do — a batch whose answer did not arrive
(refused, reset, timed out, 5xx) is sent again until it is answered, so a server killed and
restarted mid-run is ridden out. Prints one JSON object: the keys answered stored (or
unchanged / new_version: an earlier answer that was lost), the rejected ones, and counts.

Usage: python3 load_client.py URL TOKEN TEMPLATE_FILE ORDERS CLIENTS BATCH
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, token, template_path = sys.argv[1], sys.argv[2], sys.argv[3]
orders, clients, batch = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
template = open(template_path, encoding="utf-8").read()
target = urllib.parse.urlparse(url)
lock = threading.Lock()
answers = {}
counts = {"requests": 0, "retries": 0, "errors": []}


def order(number):
    return (template.replace("a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11", "00000000-0000-4000-8000-%012d" % number)
            .replace("5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33", "10000000-0000-4000-8000-%012d" % number)
            .replace("00042-003-0017", "%05d-003-%04d" % (number // 10000, number % 10000)))


def post(body):
    deadline = time.time() + 120
    while True:
        try:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            connection.request("POST", "/api/v1/sources/pos/orders", body=body,
                               headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
            connection.close()
            if response.status == 200:
                return json.loads(data)["results"]
            if response.status < 500:
                raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
        except (ConnectionError, OSError, http.client.HTTPException):
            pass
        with lock:
            counts["retries"] += 1
        if time.time() > deadline:
            raise RuntimeError("no answer for 120 s")
        time.sleep(0.2)


def client(index):
    try:
        numbers = list(range(index, orders, clients))
        for start in range(0, len(numbers), batch):
            chunk = numbers[start:start + batch]
            body = ("[" + ",".join(order(n) for n in chunk) + "]").encode()
            results = post(body)
            with lock:
                counts["requests"] += 1
                for number, result in zip(chunk, results):
                    key = "00000000-0000-4000-8000-%012d" % number
                    assert result["key"] == key, result
                    answers.setdefault(key, []).append(result["status"])
    except Exception as error:  # reported, and the Swift test fails on it
        with lock:
            counts["errors"].append(repr(error))


started = time.time()
threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"answers": answers, "requests": counts["requests"], "retries": counts["retries"],
                  "errors": counts["errors"], "seconds": time.time() - started}))
