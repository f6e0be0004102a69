from django.tasks import task

from huji.certificates.models import Certificate


@task()
def certificate_render_pdf(certificate_id: int) -> str:
    """Render a certificate's PDF into private storage (safe to run twice)."""
    from huji.certificates.services import certificate_pdf_render

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return ""
    return certificate_pdf_render(certificate=certificate).pdf_key
