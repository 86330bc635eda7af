"""Password sign-in cost: full requests per second on one core vs a bare Argon2id verify.

    .venv/bin/python bench/signin.py --runs 60                      # SQLite under --data-dir
    DATABASE_URL=postgres://…/crewbase_bench .venv/bin/python bench/signin.py

One thread (one core). Each sign-in is a real POST /accounts/login/ through the whole stack
(middleware, allauth, the throttle, Argon2id, the session row, allauth.usersessions, the
activity event) with no cookies and from its own address, so no rate limit interferes. The
baseline is `check_password` on the same stored hash in the same run. Target: a sign-in
costs at most 1.3x the verify. The first sign-in of each person is timed, then a second one
(a returning person: allauth finds their verified address). Also times a refused sign-in
(wrong password) and one refused by a lockout (no hash computed), and the email-code variant
(AUTH-5): a supervisor whose role must enter an emailed code signs in with the password (the
code is queued in the outbox), then posts the code, read from the outbox row between the two
requests (untimed).
Never part of the test suite.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from benchkit import fresh_database, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-signin")
    return parser.parse_args()


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def main() -> None:
    args = parse_args()
    setup_django(args.data_dir)
    fresh_database()
    from django.contrib.auth.hashers import check_password
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from tests.conftest import TEST_PASSWORD, actor_for, builtin_role, make_account, make_member

    from crewbase.core.models import OutboxMessage
    from crewbase.mfa.actions import update_mfa_policy
    from crewbase.signin import throttle

    account, owner = make_account(name="Sign-in bench")
    members = [make_member(account, "agent") for _ in range(args.runs + 1)]
    # Supervisors of this (paid) account must enter an emailed code at each sign-in.
    update_mfa_policy(actor=actor_for(owner), email_otp_role_ids=[builtin_role("supervisor").pk])
    coded = [make_member(account, "supervisor") for _ in range(args.runs + 1)]
    encoded = members[0].person.password

    def verify() -> None:
        assert check_password(TEST_PASSWORD, encoded)

    # One client, as one server process: the middleware chain is built once (a fresh test
    # Client rebuilds it for every request, which no server does). Each sign-in still starts
    # with no cookies, so it is a new browser with its own address.
    client = Client()

    def fresh_client(address: str) -> Client:
        client.cookies.clear()
        client.defaults["REMOTE_ADDR"] = address
        return client

    def sign_in(n: int, password: str = TEST_PASSWORD, email: str | None = None) -> int:
        client = fresh_client(f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        response = client.post(
            "/accounts/login/", {"login": email or members[n].email, "password": password}
        )
        return response.status_code

    code_in_subject = re.compile(r"^(\d{6}) ")

    def emailed_code(email: str) -> str:
        row = OutboxMessage.objects.filter(payload__to=email).order_by("-id").first()
        return code_in_subject.match(row.payload["subject"]).group(1)

    def sign_in_with_code(n: int) -> tuple[float, float]:
        """Milliseconds of the password request and of the code request."""
        client = fresh_client(f"10.200.{n // 256 % 256}.{n % 256}")
        began = time.perf_counter()
        response = client.post(
            "/accounts/login/", {"login": coded[n].email, "password": TEST_PASSWORD}
        )
        password_ms = (time.perf_counter() - began) * 1000
        assert response.status_code == 302, response.status_code
        assert response["Location"] == "/two-factor/email-code/", response["Location"]
        code = emailed_code(coded[n].email)
        began = time.perf_counter()
        response = client.post("/two-factor/email-code/", {"code": code})
        code_ms = (time.perf_counter() - began) * 1000
        assert response.status_code == 302 and response["Location"] == "/", response.status_code
        return password_ms, code_ms

    cache.clear()
    verify()
    sign_in(args.runs)  # warm-up: templates, URL resolvers, connections
    sign_in_with_code(args.runs)

    verifies, requests, wrong, locked = [], [], [], []
    for n in range(args.runs):
        began = time.perf_counter()
        verify()
        verifies.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        status = sign_in(n)
        requests.append((time.perf_counter() - began) * 1000)
        assert status == 302, status
        began = time.perf_counter()
        sign_in(n, password="a wrong password")
        wrong.append((time.perf_counter() - began) * 1000)
    # The same people again: a returning sign-in finds the verified address allauth reads,
    # where a first one also creates it (people/signin.py ensure_own_email_address).
    returning = []
    for n in range(args.runs):
        began = time.perf_counter()
        verify()
        verifies.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        status = sign_in(n)
        returning.append((time.perf_counter() - began) * 1000)
        assert status == 302, status
    coded_password, coded_step = [], []
    for n in range(args.runs):
        password_ms, code_ms = sign_in_with_code(n)
        coded_password.append(password_ms)
        coded_step.append(code_ms)
    coded_total = [a + b for a, b in zip(coded_password, coded_step, strict=True)]
    victim = members[0].email
    for _ in range(10):
        throttle.fail("password", victim)
    for n in range(args.runs):
        began = time.perf_counter()
        sign_in(n, email=victim)
        locked.append((time.perf_counter() - began) * 1000)

    v50, v95 = p50_p95(verifies)
    r50, r95 = p50_p95(requests)
    b50, b95 = p50_p95(returning)
    w50, w95 = p50_p95(wrong)
    l50, l95 = p50_p95(locked)
    e50, e95 = p50_p95(coded_total)
    ep50, ep95 = p50_p95(coded_password)
    ec50, ec95 = p50_p95(coded_step)
    print(f"{connection.vendor}, {args.runs} runs, one thread")
    print(f"Argon2id verify         p50 {v50:6.1f} ms  p95 {v95:6.1f} ms  ({1000 / v50:5.1f}/s)")
    print(f"sign-in request (302)   p50 {r50:6.1f} ms  p95 {r95:6.1f} ms  ({1000 / r50:5.1f}/s)")
    print(f"returning sign-in (302) p50 {b50:6.1f} ms  p95 {b95:6.1f} ms  ({1000 / b50:5.1f}/s)")
    print(f"wrong password (200)    p50 {w50:6.1f} ms  p95 {w95:6.1f} ms")
    print(f"locked out (200)        p50 {l50:6.1f} ms  p95 {l95:6.1f} ms")
    print(f"sign-in / verify ratio  {r50 / v50:.2f}x at p50 (target <= 1.3x)")
    print(f"returning / verify      {b50 / v50:.2f}x at p50")
    print(f"email code: password    p50 {ep50:6.1f} ms  p95 {ep95:6.1f} ms  (302, code queued)")
    print(f"email code: code step   p50 {ec50:6.1f} ms  p95 {ec95:6.1f} ms  (302, signed in)")
    print(f"email-code sign-in      p50 {e50:6.1f} ms  p95 {e95:6.1f} ms  ({1000 / e50:5.1f}/s)")
    print(f"email-code / verify     {e50 / v50:.2f}x at p50")


if __name__ == "__main__":
    main()
