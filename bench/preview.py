"""Preview bench: frame rate painted and longest GUI-thread stall, with and without live analysis.

    .venv/bin/python -m bench.preview

A 1280×720 synthetic KTP clip (card moving, so analysis never settles) plays at 30 fps through an
ImageSequenceSource into a real CameraView (offscreen platform) for a few seconds. A 5 ms heartbeat
QTimer on the GUI thread records, after a 1 s warm-up, the longest gap between its ticks (the stall). Baseline: the same
view with analysis switched off (frames only painted). Last line: one JSON object with fps,
max_stall_ms, analysed_fps, dropped, baseline_fps, baseline_max_stall_ms.
"""

from __future__ import annotations

import json
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.imaging import synthetic as S
from kiosk.imaging.analysis import PhotoKind
from kiosk.imaging.specimen import render_specimen
from ui.camera.sources import ImageSequenceSource
from ui.camera.view import CameraView

SECONDS = 4.0
FPS = 30.0


def frames() -> list:
    card = render_specimen(scale=1.5)
    out = []
    for i in range(30):
        frame, _ = S.ktp_scene(
            card, card_width=700 + 4 * i, centre=(600 + 3 * i, 360), angle_deg=i % 7, seed=i
        )
        out.append(S.noise(frame, 3.0, seed=i))
    return out


def run(app: QApplication, clip: list, analyse: bool) -> dict[str, float]:
    view = CameraView(PhotoKind.KTP)
    view.auto_capture_enabled = False
    view.resize(1024, 640)
    view.show()
    source = ImageSequenceSource(clip, fps=FPS, parent=view)
    if not analyse:
        source.frame_ready.connect(view.preview.set_frame)
    else:
        view.set_source(source)
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    stall = [0]

    def beat() -> None:
        now = clock.elapsed()
        stall[0] = max(stall[0], now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    source.start()
    warm_up = time.perf_counter()
    while time.perf_counter() - warm_up < 1.0:  # first paints, fonts, first analysis: not steady state
        app.processEvents()
        time.sleep(0.001)
    painted_before = view.preview.frames_painted
    done_before = view.analyser.done
    dropped_before = view.analyser.dropped
    stall[0] = 0
    started = time.perf_counter()
    last[0] = clock.elapsed()
    while time.perf_counter() - started < SECONDS:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - started
    source.stop()
    heartbeat.stop()
    result = {
        "fps": (view.preview.frames_painted - painted_before) / elapsed,
        "max_stall_ms": float(stall[0]),
        "analysed_fps": (view.analyser.done - done_before) / elapsed,
        "dropped": float(view.analyser.dropped - dropped_before),
    }
    view.shutdown()
    view.close()
    view.deleteLater()
    app.processEvents()
    return result


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    clip = frames()
    baseline = run(app, clip, analyse=False)
    live = run(app, clip, analyse=True)
    print(
        json.dumps(
            {
                "source": "1280x720@30",
                "fps": round(live["fps"], 1),
                "max_stall_ms": round(live["max_stall_ms"], 1),
                "analysed_fps": round(live["analysed_fps"], 1),
                "dropped": int(live["dropped"]),
                "baseline_fps": round(baseline["fps"], 1),
                "baseline_max_stall_ms": round(baseline["max_stall_ms"], 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
