"""The practice classifier's artifact: applied with numpy, it gives what the fitted
scikit-learn models give; it is keyed by the labelled data's hash; a fresh extraction never
imports scikit-learn when the artifact is current."""
from __future__ import annotations

import subprocess
import sys

import numpy as np

from nlp import practice_model, practices

SENTENCES = [
    "Đảng ủy xã phân công mỗi đảng ủy viên phụ trách một chi bộ, dự sinh hoạt hằng tháng.",
    "Hằng quý, Ban Thường vụ Huyện ủy tổ chức đối thoại với đảng viên trẻ về sinh hoạt chi bộ.",
    "Chi bộ thôn đăng ký chủ đề sinh hoạt chuyên đề với Đảng ủy xã từ đầu năm.",
    "Năm 2023, toàn tỉnh kết nạp 1.684 đảng viên mới.",
    "Xin chào.",
]


def test_compiled_equals_fitted(tmp_path):
    fitted = practices.fit_models(practices.load_examples())
    cm = practice_model.compile_models(fitted)
    x_fit, x_cm = practices.features(fitted, SENTENCES), cm.features(SENTENCES)
    assert abs(x_fit - x_cm).max() < 1e-12
    assert np.allclose(practices.practice_proba(fitted, x_fit), cm.practice_proba(x_cm))
    assert practices.categorize(x_fit, SENTENCES, fitted) == practices.categorize(x_cm, SENTENCES, cm)
    loaded = practice_model.load(practice_model.save(cm, tmp_path / "m.npz"))
    assert np.allclose(loaded.practice_proba(loaded.features(SENTENCES)), cm.practice_proba(x_cm))
    assert loaded.classes == cm.classes


def test_artifact_is_keyed_by_the_data():
    path = practice_model.artifact_path()
    assert practice_model.data_hash() in path.name and path.suffix == ".npz"
    assert practice_model.artifact_path("0" * 16) != path


def test_fresh_extraction_does_not_import_sklearn():
    practice_model.compiled()          # builds the artifact when missing
    code = ("import sys; from nlp import extract; "
            "extract('Đảng ủy xã phân công mỗi đảng ủy viên phụ trách một chi bộ, dự sinh hoạt hằng tháng.'); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
