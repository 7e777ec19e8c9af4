from django.contrib.admin.apps import AdminConfig


class HekaAdminConfig(AdminConfig):
    default_site = "heka_portal.admin_site.HekaAdminSite"
