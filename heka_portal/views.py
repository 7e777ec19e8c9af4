from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenancy.models import RegionOffice


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/help.html", {"offices": RegionOffice.objects.all()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")
