"""Staff page for one uploaded material: the image with its clarity verdict and
measured values. Reviewers of applications include the same card
(``backoffice/materials/_upload_card.html``) beside each material."""

from django.shortcuts import render
from django.urls import path

from huji.accounts.decorators import staff_required
from huji.materials.selectors import upload_get_for_user


@staff_required
def material_detail(request, public_id):
    upload = upload_get_for_user(public_id=public_id, user=request.user)
    return render(request, "backoffice/materials/detail.html", {"upload": upload})


urlpatterns = [
    path("materials/<uuid:public_id>/", material_detail, name="material_detail"),
]
