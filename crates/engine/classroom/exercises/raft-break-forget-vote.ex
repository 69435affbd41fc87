# Break it: with votedFor kept only in memory, make two leaders in one term.
protocol raft
kind break
title Break it: two leaders in one term
title.zh 破坏它：同一任期出现两个 leader
link v=1&p=raft&n=3&seed=1&c=0&bug=forget-vote&t=0
text Planted bug forget-vote: a server forgets whom it voted for when it restarts. Use at most 6 actions (cut links, time out, crash, restart) to get two leaders in the same term, so that ElectionSafety fails within 10 s.
text.zh 植入的缺陷 forget-vote：服务器重启后会忘记自己投票给了谁。最多使用 6 次操作（切断链路、触发超时、崩溃、重启），让同一任期出现两个 leader，使 ElectionSafety 在 10 秒内被违反。
invariant ElectionSafety
max-actions 6
within 10s
allow crash restart partition heal timeout
at 0ms cut 1 3
at 0ms cut 3 1
at 0ms timeout 1
at 20ms crash 2
at 20ms restart 2
at 20ms timeout 3
