import pytest

from crewbase.core.delivery import retry_delay
from crewbase.core.mail import SmtpUrlError, parse_smtp_url


def test_plain_smtp_with_credentials_and_escaped_password():
    smtp = parse_smtp_url("smtp://mailer:p%40ss%2Fword@mail.example.com:2525")
    assert (smtp.host, smtp.port, smtp.username, smtp.password) == (
        "mail.example.com",
        2525,
        "mailer",
        "p@ss/word",
    )
    assert not smtp.use_tls and not smtp.use_ssl


def test_starttls_and_implicit_tls_get_their_default_ports():
    starttls = parse_smtp_url("smtp+starttls://u:p@mail.example.com")
    assert (starttls.port, starttls.use_tls, starttls.use_ssl) == (587, True, False)
    implicit = parse_smtp_url("smtps://mail.example.com?timeout=5")
    assert (implicit.port, implicit.use_tls, implicit.use_ssl) == (465, False, True)
    assert implicit.timeout == 5.0
    assert implicit.username == "" and implicit.password == ""


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example.com", "scheme 'http' is not supported"),
        ("smtp://", "no host name"),
        ("smtp://mail.example.com:99999", "not a valid URL"),
        ("smtp://mail.example.com?timeout=soon", "timeout 'soon' is not a number"),
    ],
)
def test_bad_urls_say_which_part_is_wrong(url, says):
    with pytest.raises(SmtpUrlError, match=says):
        parse_smtp_url(url)


def test_backoff_doubles_from_thirty_seconds_and_stops_at_an_hour():
    delays = [retry_delay(n).total_seconds() for n in range(1, 11)]
    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 3600 and delays[-1] == 3600
