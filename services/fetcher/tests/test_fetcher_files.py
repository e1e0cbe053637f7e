from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from docfleet_contracts import errors as error_types
from docfleet_fetcher.activities import FetchActivities
from docfleet_fetcher.settings import FILE_ROOT_ENV

from .fetching import failure, fetch

Factory = Callable[..., FetchActivities]


@pytest.fixture
def root(tmp_path: Path, samples: dict[str, bytes]) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub dir").mkdir(parents=True)
    (folder / "sub dir" / "scan 1.pdf").write_bytes(samples["pdf"])
    (folder / "image.png").write_bytes(samples["png"])
    (folder / "page.html").write_bytes(samples["html"])
    (tmp_path / "secret.pdf").write_bytes(samples["pdf"])
    return folder


async def test_fetcher_file_reads_under_the_root(
    fetch_factory: Factory, root: Path, samples: dict[str, bytes]
) -> None:
    activities = fetch_factory(fetch_file_root=root)
    result = await fetch(activities, (root / "sub dir" / "scan 1.pdf").as_uri())
    assert result.kind == "pdf"
    assert result.blob.size == len(samples["pdf"])
    png = await fetch(activities, "file://localhost" + str(root / "image.png"))
    assert png.kind == "png"


async def test_fetcher_file_is_refused_without_a_root(fetch_factory: Factory, root: Path) -> None:
    error = await failure(fetch_factory(), (root / "image.png").as_uri())
    assert (error.type, error.non_retryable) == (error_types.ACCESS_DENIED, True)
    assert FILE_ROOT_ENV in error.message


async def test_fetcher_file_refuses_dot_dot(fetch_factory: Factory, root: Path) -> None:
    url = root.as_uri() + "/sub%20dir/../../secret.pdf"
    error = await failure(fetch_factory(fetch_file_root=root), url)
    assert (error.type, error.non_retryable) == (error_types.ACCESS_DENIED, True)
    assert "outside the allowed folder" in error.message


async def test_fetcher_file_refuses_a_symlink_escaping_the_root(
    fetch_factory: Factory, root: Path, tmp_path: Path
) -> None:
    (root / "innocent.pdf").symlink_to(tmp_path / "secret.pdf")
    (root / "escape").symlink_to(tmp_path)
    activities = fetch_factory(fetch_file_root=root)
    for url in [(root / "innocent.pdf").as_uri(), (root / "escape" / "secret.pdf").as_uri()]:
        error = await failure(activities, url)
        assert (error.type, error.non_retryable) == (error_types.ACCESS_DENIED, True)


async def test_fetcher_file_allows_a_symlink_inside_the_root(
    fetch_factory: Factory, root: Path
) -> None:
    (root / "alias.png").symlink_to(root / "image.png")
    result = await fetch(fetch_factory(fetch_file_root=root), (root / "alias.png").as_uri())
    assert result.kind == "png"


async def test_fetcher_file_root_given_through_a_symlink_still_confines(
    fetch_factory: Factory, root: Path, tmp_path: Path
) -> None:
    link = tmp_path / "root-link"
    link.symlink_to(root)
    activities = fetch_factory(fetch_file_root=link)
    assert (await fetch(activities, (link / "image.png").as_uri())).kind == "png"
    error = await failure(activities, (tmp_path / "secret.pdf").as_uri())
    assert error.type == error_types.ACCESS_DENIED


async def test_fetcher_file_missing_is_not_found(fetch_factory: Factory, root: Path) -> None:
    error = await failure(fetch_factory(fetch_file_root=root), (root / "nope.pdf").as_uri())
    assert (error.type, error.non_retryable) == (error_types.NOT_FOUND, True)


async def test_fetcher_file_outside_root_is_denied_even_when_missing(
    fetch_factory: Factory, root: Path, tmp_path: Path
) -> None:
    # Denied first, so the worker never reveals which files exist outside its root.
    error = await failure(fetch_factory(fetch_file_root=root), (tmp_path / "nope").as_uri())
    assert error.type == error_types.ACCESS_DENIED


async def test_fetcher_file_folder_and_fifo_are_invalid(fetch_factory: Factory, root: Path) -> None:
    os.mkfifo(root / "pipe")
    activities = fetch_factory(fetch_file_root=root)
    for name, phrase in [("sub%20dir", "is a folder"), ("pipe", "not a regular file")]:
        error = await failure(activities, f"{root.as_uri()}/{name}")
        assert (error.type, error.non_retryable) == (error_types.INVALID_REQUEST, True)
        assert phrase in error.message


async def test_fetcher_file_relative_url_is_invalid(fetch_factory: Factory, root: Path) -> None:
    error = await failure(fetch_factory(fetch_file_root=root), "file://inbox/image.png")
    assert error.type == error_types.INVALID_REQUEST
    assert "file:///path" in error.message


async def test_fetcher_file_checks_type_and_size(fetch_factory: Factory, root: Path) -> None:
    html = await failure(fetch_factory(fetch_file_root=root), (root / "page.html").as_uri())
    assert (html.type, html.non_retryable) == (error_types.UNSUPPORTED_TYPE, True)
    small = fetch_factory(fetch_file_root=root, fetch_max_bytes=100)
    big = await failure(small, (root / "sub dir" / "scan 1.pdf").as_uri())
    assert (big.type, big.non_retryable) == (error_types.TOO_LARGE, True)
    assert "over the 100-byte limit" in big.message
