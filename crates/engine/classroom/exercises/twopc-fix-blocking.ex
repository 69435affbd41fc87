# Fix it: a participant blocked by a crashed coordinator can ask the others.
protocol 2pc
kind fix
title Fix it: shorten the blocking
title.zh 修复它：缩短阻塞
scenario twopc_cooperative_termination at 0ms
text The coordinator crashes after deciding, but before node 3 hears the decision; node 3 is blocked in doubt. Choose whether participants cooperate (ask each other) so that node 3 decides within 500 ms.
text.zh 协调者在做出决定之后、节点 3 得知决定之前崩溃了；节点 3 处于不确定状态而被阻塞。选择参与者是否协作（互相询问），使节点 3 在 500 毫秒内做出决定。
choose cooperative off on
within 1s
target first decide node=3 txn=1 <= 500ms
allow
