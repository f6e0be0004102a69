"""The clarity and completeness check on synthetic phone photos, labelled by
construction (see synthetic.py and docs/materials-calibration.md for the whole
labelled set)."""

import io

import pytest
from PIL import Image

from huji.materials.constants import Problem
from huji.materials.services import upload_accept, upload_check
from huji.materials.tests.conftest import as_upload, needs_font, photo_bytes

pytestmark = [pytest.mark.django_db, needs_font]


def check(data: bytes, kind: str = "id_card"):
    return upload_check(file=as_upload(data), material_kind=kind)


def test_a_sharp_complete_photo_passes_with_its_measures():
    verdict = check(photo_bytes("good"))
    assert verdict.ok, verdict.problems
    measures = verdict.measures
    assert measures["document_found"] is True
    assert measures["border_touch"] == 0
    assert 1.5 < measures["edge_width"] < 3.6
    assert 0.1 < measures["document_area_share"] < 0.9
    assert len(measures["document_corners"]) == 4


@pytest.mark.parametrize(
    ("defect", "kind", "code", "advice"),
    [
        ("blurred", "id_card", Problem.BLURRED, "对焦清楚"),
        ("too_dark", "hukou_page", Problem.TOO_DARK, "在光线充足处重新拍摄"),
        ("overexposed", "certificate", Problem.OVEREXPOSED, "避开强光"),
        ("glare", "id_card", Problem.GLARE, "反光"),
        ("cut_off", "hukou_page", Problem.CUT_OFF, "请将证件四角完整拍入"),
        ("low_resolution", "certificate", Problem.LOW_RESOLUTION, "靠近一些"),
    ],
)
def test_each_problem_is_reported_with_advice_and_values(defect, kind, code, advice):
    verdict = check(photo_bytes(defect, kind=kind, seed=11), kind)
    assert code in verdict.codes
    problem = next(p for p in verdict.problems if p["code"] == code)
    assert advice in problem["message"]
    assert problem["values"]  # the measured values that decided it
    assert verdict.as_dict()["ok"] is False


def test_blur_measure_grows_with_blur():
    sharp = check(photo_bytes("good", seed=21)).measures["edge_width"]
    blurred = check(photo_bytes("blurred", seed=21)).measures["edge_width"]
    assert blurred > sharp * 1.5


def test_thresholds_are_configuration_per_kind(settings):
    data = photo_bytes("good")
    assert check(data, "id_card").ok
    settings.HUJI_MATERIALS_THRESHOLDS = {"id_card": {"min_document_pixels": 3000}}
    verdict = check(data, "id_card")
    assert verdict.codes == [Problem.LOW_RESOLUTION]
    assert verdict.problems[0]["values"]["minimum"] == 3000
    # Other kinds keep their own thresholds.
    assert Problem.LOW_RESOLUTION not in check(data, "photo").codes


def test_exif_rotation_is_applied_before_checking():
    image = Image.open(io.BytesIO(photo_bytes("good")))
    exif = Image.Exif()
    exif[0x0112] = 8  # turn 90° counter-clockwise to show
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    verdict = check(buffer.getvalue())
    assert (verdict.measures["image_width"], verdict.measures["image_height"]) == (
        1200,
        1600,
    )
    assert verdict.ok


def test_same_photo_for_two_different_materials_is_flagged(resident):
    data = photo_bytes("good")
    first = upload_accept(
        file=as_upload(data),
        uploaded_by=resident,
        material_kind="id_card",
        slot_key="id_card_front",
    )
    again_same_slot = upload_accept(
        file=as_upload(data),
        uploaded_by=resident,
        material_kind="id_card",
        slot_key="id_card_front",
    )
    other_slot = upload_accept(
        file=as_upload(data),
        uploaded_by=resident,
        material_kind="id_card",
        slot_key="id_card_back",
    )
    assert Problem.DUPLICATE not in [p["code"] for p in first.problems]
    assert Problem.DUPLICATE not in [p["code"] for p in again_same_slot.problems]
    duplicate = next(p for p in other_slot.problems if p["code"] == Problem.DUPLICATE)
    assert duplicate["values"]["other_slot"] == "id_card_front"
    assert duplicate["values"]["hash_distance"] == 0


def test_near_identical_photo_is_flagged_by_its_perceptual_hash(resident):
    data = photo_bytes("good")
    recompressed = io.BytesIO()
    Image.open(io.BytesIO(data)).save(recompressed, "JPEG", quality=60)
    upload_accept(
        file=as_upload(data),
        uploaded_by=resident,
        material_kind="id_card",
        slot_key="front",
    )
    second = upload_accept(
        file=as_upload(recompressed.getvalue()),
        uploaded_by=resident,
        material_kind="id_card",
        slot_key="back",
    )
    assert Problem.DUPLICATE in [p["code"] for p in second.problems]


def test_a_different_photo_or_another_resident_is_not_a_duplicate(
    resident, other_resident
):
    upload_accept(
        file=as_upload(photo_bytes("good")),
        uploaded_by=resident,
        material_kind="id_card",
        slot_key="front",
    )
    different = upload_accept(
        file=as_upload(photo_bytes("good", kind="hukou_page", seed=3)),
        uploaded_by=resident,
        material_kind="hukou_page",
        slot_key="hukou",
    )
    someone_else = upload_accept(
        file=as_upload(photo_bytes("good")),
        uploaded_by=other_resident,
        material_kind="id_card",
        slot_key="back",
    )
    assert Problem.DUPLICATE not in [p["code"] for p in different.problems]
    assert Problem.DUPLICATE not in [p["code"] for p in someone_else.problems]


def test_problem_codes_have_chinese_labels_for_the_review_screens():
    from huji.materials.templatetags.materials_tags import problem_label

    assert problem_label("low_resolution") == "分辨率太低"
    assert problem_label("something_new") == "something_new"
