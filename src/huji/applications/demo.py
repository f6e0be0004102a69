"""Demo applications for ``huji demo``: a few household applications of the demo
residents in different states at 徐家汇派出所 (310104014-PCS), so the officers'
queue is not empty. Every step goes through the real services. Missing catalog,
accounts or organisations: nothing is seeded, nothing crashes."""

import io
import logging

from django.db import transaction

logger = logging.getLogger(__name__)

STREET = "310104014"
DISTRICT = "310104"


def _photo(label: int) -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (96, 86, 76))
    draw = ImageDraw.Draw(image)
    draw.rectangle((260, 220, 1340, 940), fill=(244, 242, 236))
    for y in range(300, 900, 44):
        draw.line(
            (330, y, 1260 - (label * 37 + y) % 300, y), fill=(40, 40, 40), width=5
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    buffer.seek(0)
    buffer.name = f"demo-{label}.jpg"
    return buffer


def _value(field: dict, user):
    kind = field.get("type")
    if kind == "address":
        return {"district": DISTRICT, "street": STREET, "detail": "虹桥路1号101室"}
    if kind in ("choice",) and field.get("choices"):
        return field["choices"][0][0]
    if kind == "relation":
        return "child"
    if kind == "boolean":
        return False
    if kind == "date":
        return "2026-10-01"
    if kind == "id_number":
        return user.person.id_number
    if kind == "phone":
        return user.mobile
    if kind == "number":
        return field.get("min") or 1
    if kind == "family_members":
        return []
    if kind == "textarea":
        return "演示申请（demo）"
    return "演示"


def _answers(version, user) -> dict:
    return {f["name"]: _value(f, user) for f in version.form_fields}


def _submitted(version, user):
    from huji.applications import services
    from huji.materials.services import upload_accept

    application = services.application_start(applicant=user, version=version)
    services.application_answers_save(
        application=application, answers=_answers(version, user), actor=user
    )
    for n, slot in enumerate(application.slots.filter(required=True)):
        upload = upload_accept(
            file=_photo(n),
            uploaded_by=user,
            material_kind="document",
            slot_key=slot.slot_key,
        )
        services.application_material_add(
            application=application,
            slot_key=slot.slot_key,
            upload=upload,
            actor=user,
        )
    services.application_submit(application=application, actor=user)
    return application


def _scenario(kind: str, version, user, officer):
    from huji.applications import services

    application = _submitted(version, user)
    if kind == "submitted":
        return application
    services.application_claim(application=application, officer=officer)
    if kind == "under_review":
        return application
    slots = list(application.slots.all())
    if kind == "correction":
        services.material_verdict_set(
            application=application,
            slot_key=slots[0].slot_key,
            verdict="rejected",
            reason_code="unclear",
            reason_text="照片反光，请重新拍摄",
            officer=officer,
        )
        services.application_return_for_correction(
            application=application, officer=officer, items=[]
        )
        return application
    for slot in slots:
        services.material_verdict_set(
            application=application,
            slot_key=slot.slot_key,
            verdict="accepted",
            officer=officer,
        )
    if kind == "forwarded":
        services.application_forward(
            application=application, officer=officer, note="材料齐全，符合条件"
        )
    else:
        services.application_pre_approve(application=application, officer=officer)
    return application


def seed() -> list[str]:
    try:
        from huji.accounts.models import User
        from huji.applications.models import Application
        from huji.catalog.models import ItemVersion
    except ImportError:
        return []
    residents = list(
        User.objects.filter(
            mobile__in=["13800000001", "13800000003"], person__isnull=False
        ).order_by("mobile")
    )
    officer = User.objects.filter(username="officer.xjh").first()
    if not residents or officer is None:
        return []
    if Application.objects.filter(applicant__in=residents).exists():
        count = Application.objects.filter(applicant__in=residents).count()
        return [
            f"户籍申请：已有 {count} 件演示申请，民警 officer.xjh 的工作队列 /staff/"
        ]
    versions = ItemVersion.objects.filter(
        online=True, item__is_active=True, item__current_version__isnull=False
    ).select_related("item")
    station = [
        v
        for v in versions
        if v.route == "station" and v.item.current_version_id == v.pk
    ]
    district = [
        v
        for v in versions
        if v.route == "station_district" and v.item.current_version_id == v.pk
    ]
    plan = []
    if len(station) >= 2:
        a, b = station[0], station[1]
        plan += [
            ("submitted", a, residents[0]),
            ("correction", b, residents[0]),
        ]
        if len(residents) > 1:
            plan += [
                ("under_review", a, residents[1]),
                ("pre_approved", b, residents[1]),
            ]
    if district:
        plan.append(("forwarded", district[0], residents[-1]))
    made = []
    for kind, version, user in plan:
        try:
            with transaction.atomic():
                application = _scenario(kind, version, user, officer)
            made.append(f"{application.number} {application.get_state_display()}")
        except Exception as exc:  # a demo must never stop on one bad item
            logger.warning(
                "demo application %s/%s skipped: %s", kind, version.item.code, exc
            )
    if not made:
        return []
    return [
        f"户籍申请：{len(made)} 件演示申请（{'；'.join(made)}）",
        "  民警 officer.xjh 的工作队列 /staff/；居民 13800000001 的申请 /me/",
    ]
