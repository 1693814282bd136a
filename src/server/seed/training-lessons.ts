/**
 * The demo face-68 course's text: three short lessons in Chinese (an English summary
 * closes each), written for a worker on her first day. The shortcuts are those of
 * src/web/editor/shortcuts.ts; keep them in step when a binding changes.
 */

export const DEMO_COURSE = {
  title: '人脸 68 点标注入门 / Face-68 basics',
  description: [
    '学会在人脸照片上点出 68 个关键点：先读三节课，再做 10 道练习（每次提交后马上看到标准答案和每个点偏离了多少像素），最后参加 10 道题的考试。通过考试才能领取人脸 68 点项目的图片。',
    '',
    '**说明：本课程的标准答案是模型生成的演示答案**（@vladmandic/face-api 的 68 点关键点模型），不是人工金标准，个别点（特别是下颌轮廓）可能偏几个像素。',
    '',
    'Learn to place the 68 face landmarks: three lessons, ten practice items with instant feedback, then a ten-item exam. The references are model-made demo references, not human gold.',
  ].join('\n'),
};

/** `{diagram}` is replaced by the URL of the numbered 68-point diagram. */
export const DEMO_LESSONS: { title: string; body: string }[] = [
  {
    title: '第 1 课：68 个点分别是什么 / The 68 points',
    body: `# 68 个点分别是什么

每张人脸按固定顺序点 68 个点（编号 1–68，和编辑器右侧“第 N / 68 点”一致）：

| 编号 | 部位 | 怎么点 |
|---|---|---|
| 1–17 | 下颌轮廓 | 从人物**右耳**旁边开始，沿下巴边缘到**左耳**旁边，9 号是下巴最低点 |
| 18–22 | 右眉 | 从眉尾（外端）到眉头（内端），点在眉毛上边缘 |
| 23–27 | 左眉 | 从眉头（内端）到眉尾（外端） |
| 28–31 | 鼻梁 | 从两眼之间的鼻根往下到鼻尖 |
| 32–36 | 鼻底 | 右鼻翼、右鼻孔、鼻底中点、左鼻孔、左鼻翼 |
| 37–42 | 右眼 | 外眼角开始，沿上眼睑到内眼角，再沿下眼睑回来 |
| 43–48 | 左眼 | 内眼角开始，沿上眼睑到外眼角，再沿下眼睑回来 |
| 49–60 | 嘴唇外缘 | 右嘴角开始，沿上唇外缘到左嘴角，再沿下唇外缘回来 |
| 61–68 | 嘴唇内缘 | 右嘴角开始，沿上唇内缘到左嘴角，再沿下唇内缘回来 |

![68 点示意图](${'{diagram}'})

## 最重要的一条：左右以照片里的人为准

“右眼”是**照片里那个人自己的右眼**，它在图片的**左边**。37 号点（右眼外眼角）永远在图片左侧那只眼睛的外侧。左右点反是最常见、扣分最多的错误。练习第 10 题是第 2 题左右翻转后的镜像照片，专门用来练这一条。

## 每张练习图只标一张脸

练习和考试的每张图片都是从合影里裁出来的，只标**中间那张完整的脸**；边上露出的别人的半张脸不要标。

---

*English: 68 points in a fixed order (1–68): jaw 1–17 from the subject's right ear to her left, brows 18–27, nose 28–36, eyes 37–48, outer lips 49–60, inner lips 61–68. Left and right are the subject's own: her right eye is on the image's left. Label only the face in the middle of each crop.*`,
  },
  {
    title: '第 2 课：可见、遮挡、不在图中 / Visibility',
    body: `# 可见、遮挡、不在图中

每个点除了位置，还要标“看得见吗”：

| 状态 | 什么时候用 | 按键 |
|---|---|---|
| **可见** | 点的位置在图上看得清楚 | \`1\` |
| **遮挡** | 点被头发、手、眼镜、另一侧脸挡住了，但你能估计它在哪里：按估计的位置点下去，标为遮挡 | \`2\`，或按住 \`Shift\` 再点 |
| **不在图中** | 点在图片外面（照片被裁掉了），没法估计 | \`3\` |

规则：

- 被遮挡的点**也要点**，点在你估计的位置；只有真的在图片外面时才用“不在图中”。
- 侧脸时远处那一侧的下颌、眼角常被挡住：沿着脸的形状估计位置，标为遮挡。
- 先放点，再改可见性：选中一个点后按 \`1\` \`2\` \`3\` 修改。

本课程的演示答案由模型生成，模型把每个点都标成了“可见”，所以练习时不用太在意遮挡和可见的区别，**位置**才是评分的重点。正式项目里请认真区分。

---

*English: visible (1), occluded — place it where you estimate and mark it (2 or Shift+click), not in the image (3) only when the point lies outside the photo. The demo references mark every point visible.*`,
  },
  {
    title: '第 3 课：工具、快捷键和考试 / Tools, shortcuts and the exam',
    body: `# 工具和快捷键

左手放在键盘上，右手拿鼠标，效率最高。中文输入法开着时数字键也能用。

| 操作 | 按键 |
|---|---|
| 关键点工具（点击放点，拖动改位置） | \`K\` |
| 画框工具（框出一张新的脸） | \`B\` |
| 平移工具 | \`H\`；或按住空格拖动 |
| 放大 / 缩小 | 鼠标滚轮，或 \`+\` / \`-\` |
| 适应窗口 | \`0\` 或 \`F\` |
| 下一个点 / 上一个点 | \`Tab\` / \`Shift+Tab\` |
| 可见 / 遮挡 / 不在图中 | \`1\` / \`2\` / \`3\` |
| 撤销 / 重做 | \`Ctrl+Z\` / \`Ctrl+Shift+Z\` 或 \`Ctrl+Y\` |
| 取消当前操作 | \`Esc\` |
| 切换脸 | \`[\` / \`]\` |
| 删除当前这张脸 | \`Delete\` |
| 提交 | \`Enter\` |
| 跳过 | \`Shift+S\` |
| 显示全部快捷键 | \`?\` |

小技巧：放大后再点眼角和嘴角；鼠标旁边的放大镜能看清像素。

# 练习

10 道练习题可以反复做。每次提交后，图上会画出标准答案（白色圆点）和你的点到标准点的连线，右边列出每个点偏离了多少像素，比如“左眼外眼角 偏离 12 px”，偏得最多的排在最前面。

# 考试

- 10 道题，做完后才告诉你结果：每题得分和总分，**不显示标准答案**。
- 通过要求：准确率（10 题的平均得分）至少 60%，并且至少 90% 的题目把 68 个点全部点完。
- 没通过要等 30 分钟才能再考，这段时间去做练习吧。
- 通过后获得人脸 68 点认证（1–3 级，按准确率），就可以领取正式项目的图片了。
- 如果正式工作中准确率太低被暂停，重新通过这个考试就能恢复。

**再次说明：标准答案是 @vladmandic/face-api 的 68 点模型生成的演示答案，不是人工金标准。**

---

*English: shortcuts as listed (K, B, H / Space, wheel or + -, 0 / F, Tab, 1 2 3, Ctrl+Z, Esc, [ ], Delete, Enter, Shift+S, ?). Practice shows the reference and each point's error in pixels. The exam (10 items) needs 60 % accuracy and 90 % of items complete; a failure waits 30 minutes; a pass certifies you (level 1–3) and lifts a suspension. The references are model-made demo references.*`,
  },
];
