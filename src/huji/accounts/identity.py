"""Identity proofing beyond the ID number (身份核验): pluggable providers.

Real-name authentication checks only that the ID number is well formed and not
already taken; it cannot tell whether the person typing it is its holder. A
provider decides how the stronger proof happens and records the level reached
(``User.identity_level``: mobile → id_number → face_match → in_person).

``settings.HUJI_IDENTITY_PROVIDER`` names the provider. The default,
``InPersonAtFirstVisitProvider``, is the policy that needs no outside service: an
officer or clerk checks the ID card at the resident's first counter visit and calls
``huji.accounts.services.account_mark_verified_in_person``. ``FaceMatchProvider`` is
the adapter for a real face-comparison service (the police photo archive or a
licensed provider); it is not configured here and refuses to run.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from huji.accounts.constants import IdentityLevel


class NotConfigured(Exception):
    """The provider needs an outside service that this installation lacks."""


class BaseIdentityProvider:
    #: The level an account reaches through this provider.
    level: str = IdentityLevel.ID_NUMBER
    #: What a resident is told about the next step of proofing.
    resident_instructions = ""

    def is_online(self) -> bool:
        """True when the resident can complete the proof online."""
        return False

    def verify(self, *, user, evidence) -> bool:
        """Check ``evidence`` (e.g. a live photo) for ``user``; True if it matches."""
        raise NotImplementedError


class InPersonAtFirstVisitProvider(BaseIdentityProvider):
    """Default policy: verified in person with the ID card at the first counter
    visit; the officer records it (``account_mark_verified_in_person``)."""

    level = IdentityLevel.IN_PERSON
    resident_instructions = _(
        "首次到窗口办理业务时，请携带居民身份证原件，工作人员将现场核验您的身份。"
    )

    def verify(self, *, user, evidence) -> bool:
        raise NotConfigured(
            "In-person proofing happens at the counter: "
            "call accounts.services.account_mark_verified_in_person."
        )


class FaceMatchProvider(BaseIdentityProvider):
    """ADAPTER STUB for a real face-comparison service: compares a live photo with
    the photo on record for the ID number. Subclass it, implement ``verify`` against
    the service's API, set ``HUJI_IDENTITY_PROVIDER`` to the subclass, and record
    success with ``account_identity_level_record(level=FACE_MATCH, ...)``."""

    level = IdentityLevel.FACE_MATCH
    resident_instructions = _("请按提示完成人脸识别，与公安机关登记照片进行比对。")

    def is_online(self) -> bool:
        return True

    def verify(self, *, user, evidence) -> bool:
        raise NotConfigured(
            "FaceMatchProvider is an adapter: configure a real face-match service."
        )


def get_identity_provider() -> BaseIdentityProvider:
    return import_string(settings.HUJI_IDENTITY_PROVIDER)()
