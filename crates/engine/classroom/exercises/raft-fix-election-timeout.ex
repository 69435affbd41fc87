# Fix it: choose Raft's election timeout range so that leader failures cost little (Figure 16).
protocol raft
kind fix
title Fix it: fast elections
title.zh 修复它：快速选举
link v=1&p=raft&n=5&seed=1&c=2&t=0
text The leader is cut off three times, each for one second. Election timeouts are drawn between 150 ms and the maximum you choose. Choose the maximum so that clients go unserved for at most 1.5 s in total, on seeds 1 to 3.
text.zh leader 被隔离三次，每次一秒。选举超时在 150 毫秒和你选择的最大值之间随机选取。选择最大值，使客户端在种子 1 到 3 上总共最多 1.5 秒得不到服务。
choose election-max-ms 151 300 3000
at 1s isolate leader
at 2s heal
at 3s isolate leader
at 4s heal
at 5s isolate leader
at 6s heal
within 8s
seeds 1 2 3
target unavailable <= 1500ms
allow
