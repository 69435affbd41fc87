# Break it: a shadow that takes over in the old epoch lets two nodes deliver in one epoch.
protocol recovery-block
kind break
title Break it: two deliverers in one epoch
title.zh 破坏它：同一纪元有两个交付者
link v=1&p=recovery-block&n=2&seed=1&c=0&bug=swap-without-new-epoch&t=0
text Planted bug swap-without-new-epoch: a shadow that takes over keeps the old epoch. With at most 3 actions (client requests and a partition), get results delivered by both nodes in the same epoch, so that OneDelivererPerEpoch fails within 3 s.
text.zh 植入的缺陷 swap-without-new-epoch：接管的影子节点沿用旧纪元。最多使用 3 次操作（客户端请求和一次分区），让两个节点在同一纪元都交付结果，使 OneDelivererPerEpoch 在 3 秒内被违反。
invariant OneDelivererPerEpoch
max-actions 3
within 3s
allow request partition heal crash restart
at 0ms request to 1 put 2 20
at 100ms partition 1 | 2
at 500ms request to 2 put 1 11
