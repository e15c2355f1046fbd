"""Shared helpers for the imaging and camera tests (the demo portrait, loaded once)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"


@cache
def portrait() -> np.ndarray:
    """The public-domain portrait shipped in resources/demo (see its README)."""
    image = cv2.imread(str(DEMO_DIR / "portrait_eileen_collins.jpg"), cv2.IMREAD_COLOR)
    assert image is not None
    return image
