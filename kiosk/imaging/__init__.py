"""Photo analysis and preparation for the KTP and selfie steps (Qt-free: numpy + OpenCV headless).

Why a package of small modules: each check (exposure, sharpness, glare, card corners, faces) is a pure
function on a numpy image, testable on synthetic frames without a camera or a window. The UI's camera
view runs :mod:`kiosk.imaging.analysis` on a worker thread and only paints the result.

Modules, one job each:

- :mod:`frame` — validate/normalise whatever a camera or file produced into a uint8 BGR array.
- :mod:`quality` — sharpness, exposure and glare measures.
- :mod:`card` — find the KTP's four corners and flatten it to an 856 × 540 card image.
- :mod:`face` — frontal faces (OpenCV's bundled Haar cascade) and the selfie's face rules.
- :mod:`guidance` — the ordered guidance codes and their bilingual texts.
- :mod:`analysis` — one call per photo kind combining the checks into a verdict with guidance.
- :mod:`autocapture` — "N consecutive good frames" capture decision with an injectable clock.
- :mod:`compress` — JPEG to a byte target (quality/scale search) and safe import of JPG/PNG files.
- :mod:`specimen`, :mod:`synthetic` — the SPECIMEN KTP and synthetic scenes for demo, tests, benches.

Frames are BGR (OpenCV's order) throughout.
"""
