"""The JSON API under /api/v1/: one NinjaAPI, one router per domain app."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Huji API",
    version="1",
    description=(
        "户籍云窗口与居住证服务的 JSON 接口。Every action a page offers is here too, "
        "with the same permission checks. Residents and staff authenticate with the "
        "same session as the pages (send the CSRF token on writes)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ROUTERS = [
    ("/", "huji.core.api.router"),
    ("/accounts", "huji.accounts.api.router"),
    ("/organizations", "huji.organizations.api.router"),
    ("/workdays", "huji.workdays.api.router"),
    ("/catalog", "huji.catalog.api.router"),
    ("/materials", "huji.materials.api.router"),
    ("/notifications", "huji.notifications.api.router"),
    ("/applications", "huji.applications.api.router"),
    ("/appointments", "huji.appointments.api.router"),
    ("/progress", "huji.appointments.api_progress.router"),
    ("/residence", "huji.residence.api.router"),
    ("/verify", "huji.certificates.api.router"),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
