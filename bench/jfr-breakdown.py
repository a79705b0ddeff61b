#!/usr/bin/env python3
"""Where a durable POST /spawns spends its CPU: the execution samples of a JFR recording
(bench/profile-post.sh with JFR=1), each put in one category by its thread and stack.
Usage: jfr print --stack-depth 80 --events jdk.ExecutionSample X.jfr | bench/jfr-breakdown.py"""
import collections
import re
import sys


def category(frames, thread):
    stack = '\n'.join(frames)
    if 'telemetry-writer' in thread:
        if 'JsonFileStore.persist' in stack:
            if 'Journal.append' in stack:
                return 'writer: journal append and fdatasync'
            if 'writeBatch' in stack:
                return 'writer: the journal line as JSON'
            if 'checkpointInBackground' in stack or 'beforeCheckpoint' in stack:
                return 'writer: starting a checkpoint (spawns kept beyond the log)'
            return 'writer: persist, other'
        if 'TelemetrySnapshot.<init>' in stack or 'toSnapshot' in stack:
            return 'writer: publishing the snapshot'
        if 'WorkingState' in stack:
            return 'writer: applying the writes'
        return 'writer: other'
    if 'exec' not in thread:
        return 'other threads'
    dispatched = 'AsyncContextImpl$AsyncRunnable.run' in stack or 'AsyncContextImpl.doInternalDispatch' in stack
    if 'WriterAnswerHandler$PendingAnswer' in stack or 'AsyncContextImpl$RunnableWrapper' in stack:
        return 'answer (written without a dispatch): ' + (
            'JSON write and flush' if 'WriterAnswerWriter' in stack else 'Tomcat, sockets, other')
    side = 'answer (async dispatch): ' if dispatched else 'request: '
    if 'FilterChainProxy' in stack and 'DispatcherServlet' not in stack:
        return side + 'Spring Security filters'
    if 'ValidatorImpl' in stack or 'DataBinder.validate' in stack:
        return side + 'bean validation'
    if 'readWithMessageConverters' in stack or 'ObjectReader' in stack:
        return side + 'JSON read'
    if 'HttpEntityMethodProcessor' in stack or 'ObjectWriter' in stack:
        return side + 'JSON write and flush of the answer'
    if 'Observation' in stack and 'DispatcherServlet' not in stack:
        return side + 'HTTP observation (metrics)'
    if 'SpawnController' in stack or 'TelemetryWriter.submit' in stack:
        return side + 'controller and queueing'
    if 'DispatcherServlet' in stack:
        return side + 'Spring MVC dispatch, other'
    if 'Filter' in stack:
        return side + 'other filters'
    return side + 'Tomcat, sockets, other'


counts = collections.Counter()
for event in sys.stdin.read().split('jdk.ExecutionSample'):
    trace = re.search(r'stackTrace = \[(.*?)\n\s*\]', event, re.S)
    if not trace:
        continue
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    frames = [re.sub(r'\s+line:.*', '', line.strip()) for line in trace.group(1).strip().split('\n') if line.strip()]
    counts[category(frames, thread.group(1) if thread else '')] += 1
total = sum(counts.values())
print('| where | samples | share |')
print('|---|---|---|')
for name, n in counts.most_common():
    print(f'| {name} | {n} | {100 * n / total:.0f}% |')
print(f'| all | {total} | |')
