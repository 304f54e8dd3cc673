from config import embedded


def test_a_broken_pid_list_left_by_a_killed_process_is_removed(tmp_path):
    handle_list = tmp_path / ".handle_pids.json"
    handle_list.write_text("")
    embedded.forget_broken_handle_list(tmp_path)
    assert not handle_list.exists()


def test_a_readable_pid_list_is_kept(tmp_path):
    handle_list = tmp_path / ".handle_pids.json"
    handle_list.write_text("[123]")
    embedded.forget_broken_handle_list(tmp_path)
    assert handle_list.read_text() == "[123]"


def test_no_pid_list_is_fine(tmp_path):
    embedded.forget_broken_handle_list(tmp_path)
    assert not (tmp_path / ".handle_pids.json").exists()
