# Break it: a participant that keeps its prepared state only in memory breaks atomicity.
protocol 2pc
kind break
title Break it: a forgotten yes vote
title.zh 破坏它：被遗忘的赞成票
link v=1&p=2pc&n=4&seed=1&c=0&bug=volatile-prepare&net=10000-10000-0-0&t=0
text Planted bug volatile-prepare: a participant keeps its prepared transaction in memory only. With at most 3 actions (a request, a crash, a restart), make Atomicity fail within 5 s.
text.zh 植入的缺陷 volatile-prepare：参与者只在内存中保存已准备的事务。最多使用 3 次操作（一个请求、一次崩溃、一次重启），让 Atomicity 在 5 秒内被违反。
invariant Atomicity
max-actions 3
within 5s
allow request crash restart
at 0ms request to 1 put 1 5
at 25ms crash 2
at 75ms restart 2
