"""Tests for crisis_model._export: the shared output writer of ``report`` and ``export``."""

import os
import stat

from crisis_model._export import write_output


class TestWriteOutput:
    def test_new_file_follows_the_umask(self, tmp_path):
        """A written file gets the permissions of a new file under the umask, not a private
        temporary file's 0600 (a report is meant to be shared)."""
        old = os.umask(0o022)
        try:
            write_output(str(tmp_path / "out.html"), "<p>hi</p>")
        finally:
            os.umask(old)
        assert 0o644 == stat.S_IMODE((tmp_path / "out.html").stat().st_mode)

    def test_text_is_written_whole(self, tmp_path):
        """The text arrives unchanged and no temporary file is left beside it."""
        write_output(str(tmp_path / "out.txt"), "a\u2028b\n")
        assert "a\u2028b\n" == (tmp_path / "out.txt").read_text(encoding="utf-8")
        assert ["out.txt"] == sorted(p.name for p in tmp_path.iterdir())
