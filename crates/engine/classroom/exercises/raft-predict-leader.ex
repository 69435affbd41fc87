# Predict: after the leader crashes, whose election timer runs out first?
protocol raft
kind predict
title Who leads next?
title.zh 下一个 leader 是谁？
link v=1&p=raft&n=5&seed=1&c=1&t=600000
before 0ms crash leader
text The leader has just crashed. Look at the rings around the followers (their election timers) and predict which node will be the next leader. Then press Play.
text.zh leader 刚刚崩溃。观察各个 follower 周围的圆环（它们的选举计时器），预测哪个节点会成为下一个 leader。然后按“播放”。
answer role role=leader
field node
within 5s
choices 1 2 3 4 5
allow
hide inspector
