# Fix it: duelling proposers need a way to stop pre-empting each other.
protocol paxos
kind fix
title Fix it: end the duel
title.zh 修复它：结束决斗
scenario paxos_duelling_proposers at 0ms
text Two proposers keep pre-empting each other, so no value is chosen. Choose whether failed proposers back off (wait a random delay before retrying) so that a value is chosen within 400 ms.
text.zh 两个提议者不断互相抢占，没有任何值被选定。选择失败的提议者是否退避（重试前随机等待），使一个值在 400 毫秒内被选定。
choose backoff off on
within 500ms
target first chosen <= 400ms
allow
