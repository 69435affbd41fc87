# Predict: which backup becomes the new primary after a failover?
protocol primary-backup
kind predict
title Which backup takes over?
title.zh 哪个备份节点会接管？
scenario pb_primary_fails_backup_takes_over at 230ms
text Node 1, the primary, has just crashed. Nodes 2 and 3 are its backups, each with a suspicion timer. Which one will become the primary of the next epoch?
text.zh 主节点 1 刚刚崩溃。节点 2 和 3 是它的备份，各自有一个怀疑计时器。哪一个会成为下一个纪元的主节点？
answer role role=primary
field node
within 2s
choices 2 3
allow
hide inspector
