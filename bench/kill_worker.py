"""Child process of the kill test: enqueue sealed registrations and sync them, until killed.

Run as ``python -m bench.kill_worker CONFIG.json``. The parent (``bench.kill``) SIGKILLs it at random
moments and starts a fresh one, which resumes from what the outbox holds. Lines on stdout tell the
parent where the worker is: ``ready``, ``enqueued <id>`` (after ``enqueue`` returned, i.e. durable),
``delivered <id>``, ``done``; the engine's test hook adds ``after-reply <id>`` (on stderr) when
``OFFLINE_QUEUE_TEST_PAUSE_AFTER_REPLY_S`` is set.

Ids are ``uuid5(namespace, index)`` and the next index is the number of items already in the outbox,
so an item whose enqueue committed just before a kill is never enqueued twice under another id.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from kiosk.envelope import b64d, seal
from kiosk.http_transport import HttpTransport
from offline_queue.events import ItemDelivered, SyncEvent
from offline_queue.outbox import Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine
from tests.support.payloads import fake_photos, make_payload


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def sealed(config: dict[str, Any], sid: str) -> bytes:
    photos = fake_photos()
    return seal(
        make_payload(submission_id=sid, device_id=config["device_id"], photos=photos),
        photos,
        submission_id=sid,
        device_id=config["device_id"],
        device_key=Ed25519PrivateKey.from_private_bytes(b64d(config["device_key"])),
        server_key=X25519PublicKey.from_public_bytes(b64d(config["envelope_key"])),
    )


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[1]).read_text())
    namespace = uuid.UUID(config["namespace"])
    outbox = Outbox(config["outbox"])

    def on_event(event: SyncEvent) -> None:
        if isinstance(event, ItemDelivered):
            say(f"delivered {event.item_id}")

    policy = RetryPolicy(base_s=0.05, cap_s=0.5, probe_base_s=0.05, probe_cap_s=0.5, poll_s=0.5)
    engine = SyncEngine(
        outbox, HttpTransport(config["url"], config["token"]), on_event=on_event, policy=policy
    )
    engine.start()
    say("ready")
    index = len(outbox.items())
    while index < int(config["total"]):
        sid = str(uuid.uuid5(namespace, str(index)))
        outbox.enqueue(sid, sealed(config, sid), {"index": index})
        say(f"enqueued {sid}")
        index += 1
        time.sleep(float(config.get("enqueue_gap_s", 0.01)))
    deadline = time.monotonic() + float(config.get("timeout_s", 60))
    while outbox.stats().waiting and time.monotonic() < deadline:
        engine.wake()
        time.sleep(0.02)
    engine.stop()
    stats = outbox.stats()
    say("done " + json.dumps(stats.counts))
    return 0 if stats.waiting == 0 else 3


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
