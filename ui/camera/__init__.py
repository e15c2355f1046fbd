"""Camera capture for the photos step: frame sources, the live analysis worker and the CameraView.

API for the wizard's photos step
--------------------------------
::

    from kiosk.imaging.analysis import PhotoKind
    from kiosk.imaging.compress import ImportRejected, import_ktp, import_selfie
    from ui.camera.view import CameraView
    from ui.camera.demo import camera_or_demo_source

    view = CameraView(PhotoKind.KTP)              # or PhotoKind.SELFIE; view.set_kind(...) switches
    view.set_source(camera_or_demo_source(PhotoKind.KTP, demo=config_demo, device_id=chosen_camera))
    view.captured.connect(on_photo)              # bytes: compressed JPEG (no EXIF), ≤ 80 KB KTP / ≤ 50 KB selfie
    view.problem.connect(show_banner)            # str: translated sentence (no camera, unplugged, ...)
    view.guidance_changed.connect(read_aloud)    # str: the current guidance line
    view.set_language("en")                      # guidance texts follow the applicant's language
    view.start()                                  # starts the source; stop() pauses; retake() starts over
    ...
    view.shutdown()                               # before destroying: stops the source and the worker thread

Widgets for tests / layout: ``view.preview`` (PreviewWidget), ``view.capture_button`` (manual capture
for the operator), ``view.retake_button``. ``view.photo`` holds the last JPEG bytes (memory only);
``view.clear()`` forgets it. ``view.auto_capture_enabled = False`` turns auto-capture off.

Importing a file instead of the camera: ``import_ktp(data)`` / ``import_selfie(data)`` from
:mod:`kiosk.imaging.compress` return a ``CompressedPhoto`` (``.data`` bytes) or raise
``ImportRejected`` whose ``.message`` is a bilingual :class:`kiosk.i18n.Message`. Read the file into
memory and call them on a worker (``ui.worker.run_in_background``): they decode and compress.

Sources (:mod:`ui.camera.sources`, :mod:`ui.camera.qt_camera`): ``CameraSource(device_id)`` (QCamera;
``available_cameras()`` lists ids for the settings), ``VideoFileSource(path)``,
``ImageSequenceSource(frames, fps)`` (``.from_video(path)``), ``StillImageSource(image)``. All emit
``frame_ready(numpy BGR)``, ``problem(str)``, ``recovered()``.

Privacy: frames and photos live only in memory; nothing is written to disk or temp dirs.

Performance: frames are analysed at most 15 times a second (latest frame wins; captures are never
delayed), the preview scales each frame once on arrival and caches its overlays; ``python -m
bench.preview`` measures the GUI-thread stalls. Importing any ``ui`` module applies
:mod:`ui.none_guard` (PySide6 6.12 on CPython 3.11 drops references to ``None``/``True`` per call and
would otherwise abort a long-running preview).
"""
