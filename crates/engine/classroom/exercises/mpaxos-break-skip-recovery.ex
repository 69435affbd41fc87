# Break it: a new Multi-Paxos leader that skips recovery replaces a chosen value.
protocol multi-paxos
kind break
title Break it: a new leader overwrites a slot
title.zh 破坏它：新 leader 覆盖了一个槽位
link v=1&p=multi-paxos&n=3&seed=1&c=0&bug=skip-recovery&t=0
before 0ms timeout 1
text Planted bug skip-recovery: a new leader ignores the values the promises report and reuses their slots. Node 1 is about to lead. With at most 6 actions, get a value chosen in a slot, then a second value chosen in the same slot by another leader, so that Agreement fails within 3 s. Hint: node 3 must not see the first value.
text.zh 植入的缺陷 skip-recovery：新 leader 忽略承诺中报告的值，重用那些槽位。节点 1 即将成为 leader。最多使用 6 次操作，先让某个槽位选定一个值，再让另一个 leader 在同一槽位选定第二个值，使 Agreement 在 3 秒内被违反。提示：不能让节点 3 看到第一个值。
invariant Agreement
max-actions 6
within 3s
allow crash restart partition heal request timeout
at 100ms partition 1 2 | 3
at 100ms request to 1 put 1 5
at 200ms crash 1
at 200ms heal
at 200ms timeout 3
at 500ms request to 3 put 1 7
