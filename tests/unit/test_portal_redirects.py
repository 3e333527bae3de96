"""After a form, the portal sends the browser only to a path of its own site."""

import pytest

from services.portal_gateway.entrypoints.web.referral_pages import local_path


@pytest.mark.parametrize(
    "target", ["//evil.example/phish", "https://evil.example", "/\\evil.example", "evil", "", None]
)
def test_a_redirect_target_off_the_site_falls_back_to_the_inbox(target):
    assert local_path(target, "/inbox") == "/inbox"


def test_a_path_of_the_site_is_kept():
    assert local_path("/beneficiaries/1?saved=1", "/inbox") == "/beneficiaries/1?saved=1"
