"""At most 100 decisions and about 1 MB per response, the rest on the next decision task;
oversized payloads fail the run; open-activity limits hold tasks back; large specs are
recorded over several markers."""

import json

from history.histories import H

from floto import wire
from floto.decider._decisions import tasks_markers
from floto.decider._planner import PlanConfig, plan
from floto.history import fold_events, new_state, state_from_events
from floto.ids import to_swf_id
from floto.limits import MAX_DECISIONS_PER_RESPONSE, MAX_PAYLOAD_CHARS
from floto.specs.task import ActivityTask, Timer

CONFIG = PlanConfig()


def attrs(decision):
    kind = decision["decisionType"]
    return decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]


def roots(count):
    return [ActivityTask(name="a", version="1", input=n) for n in range(count)]


def test_a_wide_fan_out_is_sent_100_decisions_at_a_time_with_a_wake_up_timer():
    tasks = roots(250)
    h = H()
    h.start()
    h.decision()
    h.marker(wire.TASKS_MARKER, "[]")
    sent: list[str] = []
    for _ in range(3):
        started = h.decision_started()
        state = fold_events(new_state(tasks, record_tasks=False), h.events)
        result = plan(state, CONFIG, started_event_id=started)
        assert len(result.decisions) <= MAX_DECISIONS_PER_RESPONSE
        for decision in result.decisions:
            if decision["decisionType"] == "ScheduleActivityTask":
                sent.append(attrs(decision)["activityId"])
                h.add("ActivityTaskScheduled", activityId=attrs(decision)["activityId"])
        kinds = [d["decisionType"] for d in result.decisions]
        if len(sent) < 250:
            assert kinds[-1] == "StartTimer"
            assert attrs(result.decisions[-1])["timerId"] == wire.wake_timer_id(started)
            assert attrs(result.decisions[-1])["startToFireTimeout"] == "0"
            assert result.deferred == 250 - len(sent)
        else:
            assert "StartTimer" not in kinds and result.deferred == 0
    assert sent == [to_swf_id(t.id_) for t in tasks]


def test_the_request_size_limit_also_splits_responses():
    tasks = [
        ActivityTask(name="a", version="1", input="x" * 30_000, id_=f"t{n}") for n in range(40)
    ]
    state = new_state(tasks, record_tasks=False)
    result = plan(state, CONFIG)
    size = sum(len(json.dumps(d)) for d in result.decisions)
    assert size <= CONFIG.max_request_chars + 100
    assert 20 < len(result.decisions) < 40 and result.deferred > 0


def test_an_oversized_context_fails_the_run_naming_the_task_and_the_size():
    big = ActivityTask(name="a", version="1", input="y" * 20_000)
    h = H()
    h.start("x" * 20_000)
    h.decision_started()
    state = fold_events(new_state([big], record_tasks=False), h.events)
    (fail,) = plan(state, CONFIG).decisions
    assert fail["decisionType"] == "FailWorkflowExecution"
    assert attrs(fail)["reason"] == (
        f"task {big.id_} failed: activity input is 40,034 characters, over SWF's limit of 32,768"
    )


def test_a_context_deeper_than_a_worker_reads_fails_the_run_naming_the_task():
    # The workflow input is read (128 levels); wrapped in the context it is one level deeper.
    task = ActivityTask(name="a", version="1")
    h = H()
    h.start(raw="[" * 128 + "]" * 128)
    h.decision_started()
    state = fold_events(new_state([task], record_tasks=False), h.events)
    (fail,) = plan(state, CONFIG).decisions
    assert fail["decisionType"] == "FailWorkflowExecution"
    assert attrs(fail)["reason"] == (
        f"task {task.id_} failed: activity input: nests arrays and objects deeper than floto's "
        "limit of 128 levels"
    )


def test_an_oversized_result_fails_the_run_instead_of_failing_every_decision():
    a, b = (
        ActivityTask(name="a", version="1", input=1),
        ActivityTask(name="a", version="1", input=2),
    )
    h = H()
    h.start()
    h.decision()
    h.run(a.id_, "r" * 20_000)
    h.run(b.id_, "s" * 20_000)
    (fail,) = plan(state_from_events(h.events, [a, b]), CONFIG).decisions
    assert fail["decisionType"] == "FailWorkflowExecution"
    assert "workflow result is 40,0" in attrs(fail)["reason"]
    error = json.loads(attrs(fail)["details"])["error"]
    assert f"{a.id_}: 20,002" in error and f"{b.id_}: 20,002" in error


def test_open_activity_limit_holds_tasks_back_without_a_wake_up_timer():
    tasks = roots(5)
    h = H()
    h.start()
    h.decision()
    h.scheduled(tasks[0].id_)
    h.scheduled(tasks[1].id_)
    state = state_from_events(h.events, tasks)
    result = plan(state, PlanConfig(max_open_activities=3))
    assert [attrs(d)["activityId"] for d in result.decisions] == [to_swf_id(tasks[2].id_)]


def test_open_timer_limit_counts_floto_timers_and_holds_user_timers_back():
    timers = [Timer(id_=f"t{n}", delay_in_seconds=60) for n in range(6)]
    throttled = ActivityTask(name="a", version="1", id_="late")
    h = H()
    h.start()
    h.decision()
    h.timer(to_swf_id("t0"), 60)
    wake = h.timer(wire.wake_timer_id(1), 0)
    h.add("ScheduleActivityTaskFailed", activityId=to_swf_id("late"),
          cause="ACTIVITY_CREATION_RATE_EXCEEDED")  # fmt: skip
    state = state_from_events(h.events, [*timers, throttled])
    assert state.open_timer_count == 2
    result = plan(state, PlanConfig(max_open_timers=4))
    # two slots, for the first two timers to become ready; the rest (the throttled task's
    # back-off too) wait for a timer to fire
    assert [attrs(d)["timerId"] for d in result.decisions] == ["t1", "t2"]
    everything = plan(state, PlanConfig()).decisions
    assert len(everything) == 6 and wire.backoff_timer_id(0) in [
        attrs(d)["timerId"] for d in everything
    ]
    h.fired(wake, wire.wake_timer_id(1))
    assert state_from_events(h.events, [*timers, throttled]).open_timer_count == 1


def test_a_large_spec_is_recorded_over_several_markers_that_decode_back():
    tasks = [ActivityTask(name="a", version="1", input="z" * 1000, id_=f"t{n}") for n in range(70)]
    tasks.append(ActivityTask(name="a", version="1", input="w" * 32_700, id_="huge"))
    groups = tasks_markers(tasks)
    markers = [marker for group in groups for marker in group]
    assert len(markers) == 3  # 30 + 30 + (10 and the huge one, without its input)
    h = H()
    h.start()
    h.decision()
    for marker in markers:
        details = attrs(marker)["details"]
        assert len(details) <= MAX_PAYLOAD_CHARS
        h.marker("floto.tasks", details)
    decoded = state_from_events(h.events)
    assert list(decoded.tasks) == [t.id_ for t in tasks]
    assert decoded.tasks["t3"].task.input == "z" * 1000
    assert decoded.tasks["huge"].task.input is None  # alone over the limit: without its input
