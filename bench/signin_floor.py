"""The floor under bench/signin.py: a bare Django login view behind Crewbase's middleware.

    .venv/bin/python bench/signin_floor.py --runs 60

Same database, same people, same Argon2id hasher and the same one-client method as
bench/signin.py, but the view only calls Django's authenticate() (ModelBackend, by email) and
login(): no allauth flow, no throttle, no recording. What a sign-in costs over the verify here
is what the stack costs before Crewbase does anything; the gap to bench/signin.py is ours.
Never part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import types

from benchkit import fresh_database, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-signin-floor")
    return parser.parse_args()


def bare_urlconf():
    from django.contrib.auth import authenticate, login
    from django.http import HttpResponse, HttpResponseRedirect
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def bare_login(request):
        user = authenticate(
            request, username=request.POST["login"], password=request.POST["password"]
        )
        if user is None:
            return HttpResponse(status=401)
        login(request, user)
        return HttpResponseRedirect("/")

    module = types.ModuleType("bare_login_urls")
    module.urlpatterns = [path("bare-login/", bare_login)]
    sys.modules[module.__name__] = module
    return module.__name__


def main() -> None:
    args = parse_args()
    setup_django(args.data_dir)
    fresh_database()
    from django.contrib.auth.hashers import check_password
    from django.db import connection
    from django.test import Client, override_settings
    from tests.conftest import TEST_PASSWORD, make_account, make_member

    account, _ = make_account(name="Sign-in floor bench")
    members = [make_member(account, "agent") for _ in range(args.runs + 1)]
    encoded = members[0].person.password
    backends = ["django.contrib.auth.backends.ModelBackend"]
    with override_settings(ROOT_URLCONF=bare_urlconf(), AUTHENTICATION_BACKENDS=backends):
        client = Client()

        def sign_in(n: int) -> None:
            client.cookies.clear()
            response = client.post(
                "/bare-login/", {"login": members[n].email, "password": TEST_PASSWORD}
            )
            assert response.status_code == 302, response.status_code

        sign_in(args.runs)  # warm-up
        verifies, requests = [], []
        for n in range(args.runs):
            began = time.perf_counter()
            assert check_password(TEST_PASSWORD, encoded)
            verifies.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            sign_in(n)
            requests.append((time.perf_counter() - began) * 1000)
    verify, request = statistics.median(verifies), statistics.median(requests)
    print(f"{connection.vendor}, {args.runs} runs, one thread, Crewbase's middleware")
    print(f"Argon2id verify          p50 {verify:6.1f} ms")
    print(f"bare Django login (302)  p50 {request:6.1f} ms  ({request - verify:.1f} ms over)")
    print(f"bare login / verify      {request / verify:.2f}x at p50")


if __name__ == "__main__":
    main()
