"""SMTP sessions kept per sending thread (messaging/providers/email.py): reused while fresh,
dropped after any failure, never shared between threads. The SMTP client is a stand-in that
counts sessions and messages; nothing reaches the network."""

import smtplib
import threading

import pytest

from messaging.providers import email as email_provider
from messaging.providers.base import OutboundMessage, ProviderError
from messaging.providers.email import DjangoMailProvider

FROM = "Parcelcast <notifications@parcelcast.test>"


class _Server:
    """What the stand-in SMTP sessions did: sessions opened, messages taken, sessions quit."""

    def __init__(self) -> None:
        self.sessions: list[_FakeSmtp] = []
        self.fail_next: Exception | None = None


class _FakeSmtp:
    server: _Server

    def __init__(self, host, port, **kwargs) -> None:
        self.server.sessions.append(self)
        self.messages: list[bytes] = []
        self.quit_called = False
        self.thread = threading.get_ident()

    def sendmail(self, from_addr, to_addrs, msg, **kwargs):
        if self.server.fail_next is not None:
            exc, self.server.fail_next = self.server.fail_next, None
            raise exc
        self.messages.append(msg)
        return {}

    def quit(self):
        self.quit_called = True

    def close(self):
        self.quit_called = True


@pytest.fixture
def server(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "smtp.test", 25
    found = _Server()
    monkeypatch.setattr(_FakeSmtp, "server", found, raising=False)
    monkeypatch.setattr(smtplib, "SMTP", _FakeSmtp)
    email_provider._drop_session()
    yield found
    email_provider._drop_session()


def message(n: int = 1) -> OutboundMessage:
    return OutboundMessage(message_id=n, channel="email", to=f"shopper{n}@example.com", subject="Your parcel",
                           body="It is on its way.")


def test_consecutive_messages_of_a_thread_share_one_smtp_session(server):
    provider = DjangoMailProvider(FROM)

    for n in range(3):
        provider.send(message(n))

    [session] = server.sessions
    assert len(session.messages) == 3 and not session.quit_called


def test_a_failed_send_drops_the_session_and_the_next_message_opens_a_new_one(server):
    provider = DjangoMailProvider(FROM)
    provider.send(message(1))
    server.fail_next = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with pytest.raises(ProviderError) as caught:
        provider.send(message(2))
    provider.send(message(3))

    assert (caught.value.kind, caught.value.code) == ("transient", "SMTPServerDisconnected")
    first, second = server.sessions
    assert first.quit_called and len(first.messages) == 1
    assert len(second.messages) == 1 and b"shopper3@example.com" in second.messages[0]


def test_a_refused_recipient_drops_the_session_too(server):
    provider = DjangoMailProvider(FROM)
    server.fail_next = smtplib.SMTPRecipientsRefused({"shopper1@example.com": (550, b"5.1.1 User unknown")})

    with pytest.raises(ProviderError) as caught:
        provider.send(message(1))
    provider.send(message(2))

    assert caught.value.kind == "permanent"
    assert len(server.sessions) == 2 and server.sessions[0].quit_called


def test_a_session_idle_for_longer_than_keep_seconds_is_closed_not_reused(server, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(email_provider.time, "monotonic", lambda: clock[0])
    provider = DjangoMailProvider(FROM)
    provider.send(message(1))

    clock[0] += email_provider.KEEP_SECONDS + 1
    provider.send(message(2))

    first, second = server.sessions
    assert first.quit_called and len(first.messages) == 1 and len(second.messages) == 1


def test_a_session_carries_at_most_max_messages(server, monkeypatch):
    monkeypatch.setattr(email_provider, "MAX_MESSAGES_PER_SESSION", 2)
    provider = DjangoMailProvider(FROM)

    for n in range(5):
        provider.send(message(n))

    assert [len(s.messages) for s in server.sessions] == [2, 2, 1]


def test_changed_mail_settings_open_a_session_to_the_new_server(server, settings):
    provider = DjangoMailProvider(FROM)
    provider.send(message(1))

    settings.EMAIL_HOST = "other-smtp.test"
    provider.send(message(2))

    assert len(server.sessions) == 2 and server.sessions[0].quit_called


def test_each_sending_thread_has_its_own_session(server):
    provider = DjangoMailProvider(FROM)
    provider.send(message(1))

    other = threading.Thread(target=lambda: [provider.send(message(n)) for n in (2, 3)])
    other.start()
    other.join()
    provider.send(message(4))

    mine, theirs = server.sessions
    assert mine.thread != theirs.thread
    assert len(mine.messages) == 2 and len(theirs.messages) == 2


def test_a_backend_other_than_smtp_is_used_as_before(settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    DjangoMailProvider(FROM).send(message(1))

    assert len(mailoutbox) == 1 and email_provider._session.backend is None


def test_a_session_inherited_through_a_fork_is_left_to_its_process(server, monkeypatch):
    provider = DjangoMailProvider(FROM)
    provider.send(message(1))
    [parents] = server.sessions

    monkeypatch.setattr(email_provider.os, "getpid", lambda: -1)  # as in a forked child
    provider.send(message(2))

    assert not parents.quit_called  # the parent's socket: a QUIT from the child would end its session
    assert len(server.sessions) == 2 and len(server.sessions[1].messages) == 1
