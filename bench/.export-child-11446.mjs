var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// bench/export.ts
import { once } from "node:events";
import fs8 from "node:fs";
import path9 from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
import SQLite2 from "better-sqlite3";

// bench/lib.ts
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
var ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
function parseArgs(defaults, argv = process.argv.slice(2)) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const [key, inline] = a.slice(2).split(/=(.*)/s, 2);
    let value = inline;
    const camel = key.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(camel in defaults)) throw new Error(`unknown flag --${key}; known: ${Object.keys(defaults).join(", ")}`);
    const def = defaults[camel];
    if (value === void 0) {
      if (typeof def === "boolean" && (argv[i + 1] === void 0 || argv[i + 1].startsWith("--"))) value = "true";
      else value = argv[++i];
    }
    if (value === void 0) throw new Error(`--${key} needs a value`);
    if (typeof def === "number") {
      const n = Number(value.replace(/_/g, ""));
      if (!Number.isFinite(n)) throw new Error(`--${key} must be a number, got ${value}`);
      out[camel] = n;
    } else if (typeof def === "boolean") out[camel] = /^(1|true|yes|on)$/i.test(value);
    else out[camel] = value;
  }
  return out;
}
function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
var fmt = {
  int: (v) => Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "\u2013",
  ms: (v) => Number.isFinite(v) ? v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0) : "\u2013",
  mb: (bytes) => (bytes / 1024 / 1024).toFixed(1),
  s: (ms) => (ms / 1e3).toFixed(2)
};
function mdTable(headers, rows4) {
  const cells = [headers, ...rows4.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r) => `| ${r.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
  return [line(cells[0]), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.slice(1).map(line)].join(
    "\n"
  );
}
var sha256 = (b) => createHash("sha256").update(b).digest("hex");
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function face68Answer(w, h, rand) {
  const cx = w * (0.4 + rand() * 0.2);
  const cy = h * (0.4 + rand() * 0.2);
  const r = Math.min(w, h) * 0.25;
  const points = [];
  for (let i = 0; i < 68; i++) {
    const a = i / 68 * Math.PI * 2;
    const x = Math.round((cx + Math.cos(a) * r * (0.5 + rand() * 0.5)) * 10) / 10;
    const y = Math.round((cy + Math.sin(a) * r * (0.5 + rand() * 0.5)) * 10) / 10;
    points.push([x, y, rand() < 0.1 ? 1 : 2]);
  }
  const bbox = [Math.round(cx - r), Math.round(cy - r), Math.round(2 * r), Math.round(2 * r)];
  return { instances: [{ bbox, points }] };
}
function boxLoad() {
  return `load ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`;
}
var RESULT_TAG = "@@RESULT ";
function runNodeForResult(args2, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, args2, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"]
    });
    let out = "";
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (c) => {
      out += c;
      for (const line of c.split("\n"))
        if (line && !line.startsWith(RESULT_TAG)) process.stdout.write(`    \u2502 ${line}
`);
    });
    proc.on("error", reject);
    proc.on("exit", (code) => {
      const wallMs = performance.now() - t0;
      const line = out.split("\n").find((l) => l.startsWith(RESULT_TAG));
      if (code !== 0 || !line) return reject(new Error(`child ${args2.join(" ")} exited with ${code}`));
      resolve({
        result: JSON.parse(line.slice(RESULT_TAG.length)),
        wallMs
      });
    });
  });
}
var MemorySampler = class {
  peakRss = 0;
  peakHeap = 0;
  samples = 0;
  timer;
  constructor(everyMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }
  sample() {
    const m = process.memoryUsage();
    this.samples++;
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
};
function kernelPeakRss() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

// bench/setup.ts
import fs7 from "node:fs";
import path8 from "node:path";
import pg2 from "pg";
import sharp2 from "sharp";

// src/core/templates/body-17.ts
var colors = {
  head: "#43a047",
  right_arm: "#ff6d00",
  left_arm: "#2979ff",
  right_leg: "#d50000",
  left_leg: "#00b8d4"
};
var rows = [
  ["nose", "Nose", "\u9F3B\u5B50", "head", "center", 0.026, 0.5, 0.09],
  ["left_eye", "Left eye", "\u5DE6\u773C", "head", "left", 0.025, 0.54, 0.075],
  ["right_eye", "Right eye", "\u53F3\u773C", "head", "right", 0.025, 0.46, 0.075],
  ["left_ear", "Left ear", "\u5DE6\u8033", "head", "left", 0.035, 0.59, 0.085],
  ["right_ear", "Right ear", "\u53F3\u8033", "head", "right", 0.035, 0.41, 0.085],
  ["left_shoulder", "Left shoulder", "\u5DE6\u80A9", "left_arm", "left", 0.079, 0.68, 0.2],
  ["right_shoulder", "Right shoulder", "\u53F3\u80A9", "right_arm", "right", 0.079, 0.32, 0.2],
  ["left_elbow", "Left elbow", "\u5DE6\u8098", "left_arm", "left", 0.072, 0.75, 0.34],
  ["right_elbow", "Right elbow", "\u53F3\u8098", "right_arm", "right", 0.072, 0.25, 0.34],
  ["left_wrist", "Left wrist", "\u5DE6\u624B\u8155", "left_arm", "left", 0.062, 0.79, 0.475],
  ["right_wrist", "Right wrist", "\u53F3\u624B\u8155", "right_arm", "right", 0.062, 0.21, 0.475],
  ["left_hip", "Left hip", "\u5DE6\u9ACB", "left_leg", "left", 0.107, 0.6, 0.5],
  ["right_hip", "Right hip", "\u53F3\u9ACB", "right_leg", "right", 0.107, 0.4, 0.5],
  ["left_knee", "Left knee", "\u5DE6\u819D", "left_leg", "left", 0.087, 0.61, 0.715],
  ["right_knee", "Right knee", "\u53F3\u819D", "right_leg", "right", 0.087, 0.39, 0.715],
  ["left_ankle", "Left ankle", "\u5DE6\u811A\u8E1D", "left_leg", "left", 0.089, 0.62, 0.925],
  ["right_ankle", "Right ankle", "\u53F3\u811A\u8E1D", "right_leg", "right", 0.089, 0.38, 0.925]
];
var body17 = {
  id: "body-17",
  name: { zh: "\u4EBA\u4F53 17 \u70B9\uFF08COCO\uFF09", en: "Body, 17 points (COCO)" },
  kind: "body",
  points: rows.map(([id2, en2, zh2, group2, side, sigma, x, y]) => ({
    id: id2,
    name: { zh: zh2, en: en2 },
    group: group2,
    side,
    color: colors[group2],
    sigma,
    ref: [x, y]
  })),
  // COCO's person skeleton, converted from its 1-based indices.
  skeleton: [
    [15, 13],
    [13, 11],
    [16, 14],
    [14, 12],
    [11, 12],
    [5, 11],
    [6, 12],
    [5, 6],
    [5, 7],
    [6, 8],
    [7, 9],
    [8, 10],
    [1, 2],
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
    [3, 5],
    [4, 6]
  ],
  flipPairs: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 10],
    [11, 12],
    [13, 14],
    [15, 16]
  ],
  // Body NME divides by the box size: no pair of joints is stable across poses.
  normalization: null,
  refAspect: 0.5
};

// src/core/templates/face-5.ts
var face5 = {
  id: "face-5",
  name: { zh: "\u4EBA\u8138 5 \u70B9", en: "Face, 5 points" },
  kind: "face",
  // Reference positions are the ArcFace 112×112 alignment template divided by 112.
  points: [
    {
      id: "right_eye",
      name: { zh: "\u53F3\u773C\u4E2D\u5FC3", en: "Right eye centre" },
      group: "eyes",
      side: "right",
      color: "#ff1744",
      sigma: 0.025,
      ref: [0.342, 0.462]
    },
    {
      id: "left_eye",
      name: { zh: "\u5DE6\u773C\u4E2D\u5FC3", en: "Left eye centre" },
      group: "eyes",
      side: "left",
      color: "#2979ff",
      sigma: 0.025,
      ref: [0.657, 0.46]
    },
    {
      id: "nose_tip",
      name: { zh: "\u9F3B\u5C16", en: "Nose tip" },
      group: "nose",
      side: "center",
      color: "#43a047",
      sigma: 0.025,
      ref: [0.5, 0.641]
    },
    {
      id: "mouth_right",
      name: { zh: "\u53F3\u5634\u89D2", en: "Right mouth corner" },
      group: "mouth",
      side: "right",
      color: "#c2185b",
      sigma: 0.025,
      ref: [0.371, 0.825]
    },
    {
      id: "mouth_left",
      name: { zh: "\u5DE6\u5634\u89D2", en: "Left mouth corner" },
      group: "mouth",
      side: "left",
      color: "#6a1b9a",
      sigma: 0.025,
      ref: [0.632, 0.823]
    }
  ],
  skeleton: [],
  flipPairs: [
    [0, 1],
    [3, 4]
  ],
  // Eye centres: the inter-ocular distance.
  normalization: [0, 1],
  refAspect: 1
};

// src/core/templates/face-68.ts
var colors2 = {
  jaw: { right: "#e65100", center: "#2e7d32", left: "#1565c0" },
  right_brow: { right: "#d32f2f" },
  left_brow: { left: "#283593" },
  nose_bridge: { center: "#43a047" },
  nose_bottom: { right: "#ff9100", center: "#9e9d24", left: "#00acc1" },
  right_eye: { right: "#ff1744" },
  left_eye: { left: "#2979ff" },
  outer_lips: { right: "#c2185b", center: "#f9a825", left: "#6a1b9a" },
  inner_lips: { right: "#f06292", center: "#ffee58", left: "#9575cd" }
};
var rows2 = [
  ["jaw_right_1", "Jaw 1 (right)", "\u4E0B\u988C 1\uFF08\u53F3\uFF09", "jaw", "right", 0.05, 0.198],
  ["jaw_right_2", "Jaw 2 (right)", "\u4E0B\u988C 2\uFF08\u53F3\uFF09", "jaw", "right", 0.052, 0.32],
  ["jaw_right_3", "Jaw 3 (right)", "\u4E0B\u988C 3\uFF08\u53F3\uFF09", "jaw", "right", 0.064, 0.443],
  ["jaw_right_4", "Jaw 4 (right)", "\u4E0B\u988C 4\uFF08\u53F3\uFF09", "jaw", "right", 0.088, 0.565],
  ["jaw_right_5", "Jaw 5 (right)", "\u4E0B\u988C 5\uFF08\u53F3\uFF09", "jaw", "right", 0.134, 0.678],
  ["jaw_right_6", "Jaw 6 (right)", "\u4E0B\u988C 6\uFF08\u53F3\uFF09", "jaw", "right", 0.205, 0.777],
  ["jaw_right_7", "Jaw 7 (right)", "\u4E0B\u988C 7\uFF08\u53F3\uFF09", "jaw", "right", 0.292, 0.861],
  ["jaw_right_8", "Jaw 8 (right)", "\u4E0B\u988C 8\uFF08\u53F3\uFF09", "jaw", "right", 0.39, 0.93],
  ["chin", "Chin", "\u4E0B\u5DF4", "jaw", "center", 0.5, 0.95],
  ["jaw_left_8", "Jaw 8 (left)", "\u4E0B\u988C 8\uFF08\u5DE6\uFF09", "jaw", "left", 0.61, 0.93],
  ["jaw_left_7", "Jaw 7 (left)", "\u4E0B\u988C 7\uFF08\u5DE6\uFF09", "jaw", "left", 0.708, 0.861],
  ["jaw_left_6", "Jaw 6 (left)", "\u4E0B\u988C 6\uFF08\u5DE6\uFF09", "jaw", "left", 0.795, 0.777],
  ["jaw_left_5", "Jaw 5 (left)", "\u4E0B\u988C 5\uFF08\u5DE6\uFF09", "jaw", "left", 0.866, 0.678],
  ["jaw_left_4", "Jaw 4 (left)", "\u4E0B\u988C 4\uFF08\u5DE6\uFF09", "jaw", "left", 0.912, 0.565],
  ["jaw_left_3", "Jaw 3 (left)", "\u4E0B\u988C 3\uFF08\u5DE6\uFF09", "jaw", "left", 0.936, 0.443],
  ["jaw_left_2", "Jaw 2 (left)", "\u4E0B\u988C 2\uFF08\u5DE6\uFF09", "jaw", "left", 0.948, 0.32],
  ["jaw_left_1", "Jaw 1 (left)", "\u4E0B\u988C 1\uFF08\u5DE6\uFF09", "jaw", "left", 0.95, 0.198],
  ["right_brow_outer", "Right brow outer end", "\u53F3\u7709 \u5916\u7AEF", "right_brow", "right", 0.143, 0.107],
  ["right_brow_outer_mid", "Right brow outer part", "\u53F3\u7709 \u5916\u4FA7", "right_brow", "right", 0.2, 0.062],
  ["right_brow_middle", "Right brow middle", "\u53F3\u7709 \u4E2D\u70B9", "right_brow", "right", 0.275, 0.05],
  ["right_brow_inner_mid", "Right brow inner part", "\u53F3\u7709 \u5185\u4FA7", "right_brow", "right", 0.352, 0.063],
  ["right_brow_inner", "Right brow inner end", "\u53F3\u7709 \u5185\u7AEF", "right_brow", "right", 0.426, 0.095],
  ["left_brow_inner", "Left brow inner end", "\u5DE6\u7709 \u5185\u7AEF", "left_brow", "left", 0.574, 0.095],
  ["left_brow_inner_mid", "Left brow inner part", "\u5DE6\u7709 \u5185\u4FA7", "left_brow", "left", 0.648, 0.063],
  ["left_brow_middle", "Left brow middle", "\u5DE6\u7709 \u4E2D\u70B9", "left_brow", "left", 0.725, 0.05],
  ["left_brow_outer_mid", "Left brow outer part", "\u5DE6\u7709 \u5916\u4FA7", "left_brow", "left", 0.8, 0.062],
  ["left_brow_outer", "Left brow outer end", "\u5DE6\u7709 \u5916\u7AEF", "left_brow", "left", 0.857, 0.107],
  ["nose_root", "Nose root (between the eyes)", "\u9F3B\u6839\uFF08\u4E24\u773C\u4E4B\u95F4\uFF09", "nose_bridge", "center", 0.5, 0.185],
  ["nose_bridge_upper", "Nose bridge upper", "\u9F3B\u6881 \u4E0A\u90E8", "nose_bridge", "center", 0.5, 0.265],
  ["nose_bridge_lower", "Nose bridge lower", "\u9F3B\u6881 \u4E0B\u90E8", "nose_bridge", "center", 0.5, 0.345],
  ["nose_tip", "Nose tip", "\u9F3B\u5C16", "nose_bridge", "center", 0.5, 0.427],
  ["right_nose_wing", "Right nose wing", "\u53F3\u9F3B\u7FFC", "nose_bottom", "right", 0.413, 0.478],
  ["right_nostril", "Right nostril", "\u53F3\u9F3B\u5B54", "nose_bottom", "right", 0.454, 0.496],
  ["nose_base", "Nose base centre", "\u9F3B\u5E95 \u4E2D\u70B9", "nose_bottom", "center", 0.5, 0.51],
  ["left_nostril", "Left nostril", "\u5DE6\u9F3B\u5B54", "nose_bottom", "left", 0.546, 0.496],
  ["left_nose_wing", "Left nose wing", "\u5DE6\u9F3B\u7FFC", "nose_bottom", "left", 0.587, 0.478],
  ["right_eye_outer", "Right eye outer corner", "\u53F3\u773C\u5916\u773C\u89D2", "right_eye", "right", 0.232, 0.193],
  ["right_eye_upper_outer", "Right upper eyelid, outer", "\u53F3\u4E0A\u773C\u7751 \u5916\u4FA7", "right_eye", "right", 0.279, 0.165],
  ["right_eye_upper_inner", "Right upper eyelid, inner", "\u53F3\u4E0A\u773C\u7751 \u5185\u4FA7", "right_eye", "right", 0.337, 0.166],
  ["right_eye_inner", "Right eye inner corner", "\u53F3\u773C\u5185\u773C\u89D2", "right_eye", "right", 0.385, 0.204],
  ["right_eye_lower_inner", "Right lower eyelid, inner", "\u53F3\u4E0B\u773C\u7751 \u5185\u4FA7", "right_eye", "right", 0.332, 0.214],
  ["right_eye_lower_outer", "Right lower eyelid, outer", "\u53F3\u4E0B\u773C\u7751 \u5916\u4FA7", "right_eye", "right", 0.276, 0.214],
  ["left_eye_inner", "Left eye inner corner", "\u5DE6\u773C\u5185\u773C\u89D2", "left_eye", "left", 0.615, 0.204],
  ["left_eye_upper_inner", "Left upper eyelid, inner", "\u5DE6\u4E0A\u773C\u7751 \u5185\u4FA7", "left_eye", "left", 0.663, 0.166],
  ["left_eye_upper_outer", "Left upper eyelid, outer", "\u5DE6\u4E0A\u773C\u7751 \u5916\u4FA7", "left_eye", "left", 0.721, 0.165],
  ["left_eye_outer", "Left eye outer corner", "\u5DE6\u773C\u5916\u773C\u89D2", "left_eye", "left", 0.768, 0.193],
  ["left_eye_lower_outer", "Left lower eyelid, outer", "\u5DE6\u4E0B\u773C\u7751 \u5916\u4FA7", "left_eye", "left", 0.724, 0.214],
  ["left_eye_lower_inner", "Left lower eyelid, inner", "\u5DE6\u4E0B\u773C\u7751 \u5185\u4FA7", "left_eye", "left", 0.668, 0.214],
  ["mouth_right", "Right mouth corner", "\u53F3\u5634\u89D2", "outer_lips", "right", 0.325, 0.622],
  [
    "upper_lip_right",
    "Upper lip edge, right (near corner)",
    "\u4E0A\u5507\u5916\u7F18 \u53F3\uFF08\u8FD1\u5634\u89D2\uFF09",
    "outer_lips",
    "right",
    0.389,
    0.596
  ],
  ["upper_lip_right_peak", "Upper lip peak, right", "\u4E0A\u5507 \u53F3\u5507\u5CF0", "outer_lips", "right", 0.454, 0.585],
  ["upper_lip_top", "Upper lip top centre", "\u4E0A\u5507 \u4E0A\u7F18\u4E2D\u70B9", "outer_lips", "center", 0.5, 0.596],
  ["upper_lip_left_peak", "Upper lip peak, left", "\u4E0A\u5507 \u5DE6\u5507\u5CF0", "outer_lips", "left", 0.546, 0.585],
  ["upper_lip_left", "Upper lip edge, left (near corner)", "\u4E0A\u5507\u5916\u7F18 \u5DE6\uFF08\u8FD1\u5634\u89D2\uFF09", "outer_lips", "left", 0.611, 0.596],
  ["mouth_left", "Left mouth corner", "\u5DE6\u5634\u89D2", "outer_lips", "left", 0.675, 0.622],
  ["lower_lip_left", "Lower lip edge, left (near corner)", "\u4E0B\u5507\u5916\u7F18 \u5DE6\uFF08\u8FD1\u5634\u89D2\uFF09", "outer_lips", "left", 0.614, 0.689],
  [
    "lower_lip_left_mid",
    "Lower lip edge, left (near centre)",
    "\u4E0B\u5507\u5916\u7F18 \u5DE6\uFF08\u8FD1\u4E2D\u7EBF\uFF09",
    "outer_lips",
    "left",
    0.55,
    0.719
  ],
  ["lower_lip_bottom", "Lower lip bottom centre", "\u4E0B\u5507 \u4E0B\u7F18\u4E2D\u70B9", "outer_lips", "center", 0.5, 0.724],
  [
    "lower_lip_right_mid",
    "Lower lip edge, right (near centre)",
    "\u4E0B\u5507\u5916\u7F18 \u53F3\uFF08\u8FD1\u4E2D\u7EBF\uFF09",
    "outer_lips",
    "right",
    0.45,
    0.719
  ],
  [
    "lower_lip_right",
    "Lower lip edge, right (near corner)",
    "\u4E0B\u5507\u5916\u7F18 \u53F3\uFF08\u8FD1\u5634\u89D2\uFF09",
    "outer_lips",
    "right",
    0.386,
    0.689
  ],
  ["inner_mouth_right", "Right mouth corner (inner lip line)", "\u53F3\u5634\u89D2\uFF08\u5185\u5507\u7EBF\uFF09", "inner_lips", "right", 0.353, 0.627],
  ["upper_lip_inner_right", "Upper lip inner edge, right", "\u4E0A\u5507\u5185\u7F18 \u53F3\u4FA7", "inner_lips", "right", 0.453, 0.624],
  ["upper_lip_inner", "Upper lip inner edge, centre", "\u4E0A\u5507\u5185\u7F18 \u4E2D\u70B9", "inner_lips", "center", 0.5, 0.629],
  ["upper_lip_inner_left", "Upper lip inner edge, left", "\u4E0A\u5507\u5185\u7F18 \u5DE6\u4FA7", "inner_lips", "left", 0.547, 0.624],
  ["inner_mouth_left", "Left mouth corner (inner lip line)", "\u5DE6\u5634\u89D2\uFF08\u5185\u5507\u7EBF\uFF09", "inner_lips", "left", 0.647, 0.627],
  ["lower_lip_inner_left", "Lower lip inner edge, left", "\u4E0B\u5507\u5185\u7F18 \u5DE6\u4FA7", "inner_lips", "left", 0.548, 0.658],
  ["lower_lip_inner", "Lower lip inner edge, centre", "\u4E0B\u5507\u5185\u7F18 \u4E2D\u70B9", "inner_lips", "center", 0.5, 0.664],
  ["lower_lip_inner_right", "Lower lip inner edge, right", "\u4E0B\u5507\u5185\u7F18 \u53F3\u4FA7", "inner_lips", "right", 0.452, 0.658]
];
function colorOf(group2, side) {
  const color = colors2[group2][side];
  if (!color) throw new Error(`face-68: no colour for ${side} ${group2}`);
  return color;
}
function chain(from, to, loop = false) {
  const edges = [];
  for (let i = from; i < to; i++) edges.push([i, i + 1]);
  if (loop) edges.push([to, from]);
  return edges;
}
var face68 = {
  id: "face-68",
  name: { zh: "\u4EBA\u8138 68 \u70B9\uFF08300-W\uFF09", en: "Face, 68 points (300-W)" },
  kind: "face",
  points: rows2.map(([id2, en2, zh2, group2, side, x, y]) => ({
    id: id2,
    name: { zh: zh2, en: en2 },
    group: group2,
    side,
    color: colorOf(group2, side),
    // COCO has no face sigmas; 0.025 is the conventional value for face landmarks.
    sigma: 0.025,
    ref: [x, y]
  })),
  skeleton: [
    ...chain(0, 16),
    ...chain(17, 21),
    ...chain(22, 26),
    ...chain(27, 30),
    ...chain(31, 35),
    // Joins the nose tip to the nostril line so the nose reads as one shape.
    [30, 33],
    ...chain(36, 41, true),
    ...chain(42, 47, true),
    ...chain(48, 59, true),
    ...chain(60, 67, true)
  ],
  flipPairs: [
    ...Array.from({ length: 8 }, (_, i) => [i, 16 - i]),
    [17, 26],
    [18, 25],
    [19, 24],
    [20, 23],
    [21, 22],
    [31, 35],
    [32, 34],
    [36, 45],
    [37, 44],
    [38, 43],
    [39, 42],
    [40, 47],
    [41, 46],
    [48, 54],
    [49, 53],
    [50, 52],
    [55, 59],
    [56, 58],
    [60, 64],
    [61, 63],
    [65, 67]
  ],
  // Outer eye corners: the inter-ocular normalisation of the 300-W benchmark.
  normalization: [36, 45],
  refAspect: 1.02
};

// src/core/templates/hand-21.ts
var colors3 = {
  wrist: "#757575",
  thumb: "#e53935",
  index: "#fb8c00",
  middle: "#43a047",
  ring: "#1e88e5",
  little: "#8e24aa"
};
var rows3 = [
  ["wrist", "Wrist", "\u624B\u8155", "wrist", 0.45, 0.933],
  ["thumb_cmc", "Thumb CMC joint (base)", "\u62C7\u6307 \u8155\u638C\u5173\u8282\uFF08\u6839\u90E8\uFF09", "thumb", 0.6, 0.833],
  ["thumb_mcp", "Thumb MCP joint", "\u62C7\u6307 \u638C\u6307\u5173\u8282", "thumb", 0.73, 0.717],
  ["thumb_ip", "Thumb IP joint", "\u62C7\u6307 \u6307\u95F4\u5173\u8282", "thumb", 0.83, 0.608],
  ["thumb_tip", "Thumb tip", "\u62C7\u6307 \u6307\u5C16", "thumb", 0.91, 0.517],
  ["index_mcp", "Index finger MCP joint (knuckle)", "\u98DF\u6307 \u638C\u6307\u5173\u8282\uFF08\u6307\u6839\uFF09", "index", 0.6, 0.5],
  ["index_pip", "Index finger PIP joint", "\u98DF\u6307 \u8FD1\u7AEF\u6307\u95F4\u5173\u8282", "index", 0.63, 0.35],
  ["index_dip", "Index finger DIP joint", "\u98DF\u6307 \u8FDC\u7AEF\u6307\u95F4\u5173\u8282", "index", 0.65, 0.25],
  ["index_tip", "Index finger tip", "\u98DF\u6307 \u6307\u5C16", "index", 0.67, 0.158],
  ["middle_mcp", "Middle finger MCP joint (knuckle)", "\u4E2D\u6307 \u638C\u6307\u5173\u8282\uFF08\u6307\u6839\uFF09", "middle", 0.48, 0.483],
  ["middle_pip", "Middle finger PIP joint", "\u4E2D\u6307 \u8FD1\u7AEF\u6307\u95F4\u5173\u8282", "middle", 0.48, 0.308],
  ["middle_dip", "Middle finger DIP joint", "\u4E2D\u6307 \u8FDC\u7AEF\u6307\u95F4\u5173\u8282", "middle", 0.48, 0.2],
  ["middle_tip", "Middle finger tip", "\u4E2D\u6307 \u6307\u5C16", "middle", 0.48, 0.1],
  ["ring_mcp", "Ring finger MCP joint (knuckle)", "\u65E0\u540D\u6307 \u638C\u6307\u5173\u8282\uFF08\u6307\u6839\uFF09", "ring", 0.37, 0.508],
  ["ring_pip", "Ring finger PIP joint", "\u65E0\u540D\u6307 \u8FD1\u7AEF\u6307\u95F4\u5173\u8282", "ring", 0.34, 0.35],
  ["ring_dip", "Ring finger DIP joint", "\u65E0\u540D\u6307 \u8FDC\u7AEF\u6307\u95F4\u5173\u8282", "ring", 0.32, 0.25],
  ["ring_tip", "Ring finger tip", "\u65E0\u540D\u6307 \u6307\u5C16", "ring", 0.3, 0.167],
  ["little_mcp", "Little finger MCP joint (knuckle)", "\u5C0F\u6307 \u638C\u6307\u5173\u8282\uFF08\u6307\u6839\uFF09", "little", 0.27, 0.558],
  ["little_pip", "Little finger PIP joint", "\u5C0F\u6307 \u8FD1\u7AEF\u6307\u95F4\u5173\u8282", "little", 0.22, 0.442],
  ["little_dip", "Little finger DIP joint", "\u5C0F\u6307 \u8FDC\u7AEF\u6307\u95F4\u5173\u8282", "little", 0.19, 0.367],
  ["little_tip", "Little finger tip", "\u5C0F\u6307 \u6307\u5C16", "little", 0.16, 0.292]
];
var hand21 = {
  id: "hand-21",
  name: { zh: "\u624B\u90E8 21 \u70B9", en: "Hand, 21 points" },
  kind: "hand",
  points: rows3.map(([id2, en2, zh2, group2, x, y]) => ({
    id: id2,
    name: { zh: zh2, en: en2 },
    group: group2,
    side: "center",
    color: colors3[group2],
    sigma: 0.025,
    ref: [x, y]
  })),
  // The wrist to each finger's base, then along each finger to its tip.
  skeleton: [1, 5, 9, 13, 17].flatMap((base) => [
    [0, base],
    [base, base + 1],
    [base + 1, base + 2],
    [base + 2, base + 3]
  ]),
  flipPairs: [],
  // Wrist to middle-finger knuckle: the palm length, stable whatever the fingers do.
  normalization: [0, 9],
  refAspect: 100 / 120
};

// src/core/templates/template.ts
import { z } from "zod";
var localizedSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
var sideSchema = z.enum(["left", "right", "center"]);
var templatePointSchema = z.object({
  /** Stable machine id, e.g. `right_eye_outer`. Unique within the template. */
  id: z.string().regex(/^[a-z0-9_]+$/),
  name: localizedSchema,
  /** Group for colouring and navigation, e.g. `jaw`, `left_brow`. */
  group: z.string().min(1),
  side: sideSchema,
  /** CSS colour used to draw the point. */
  color: z.string().min(1),
  /** OKS sigma (COCO convention); 0.025 where no better value is known. */
  sigma: z.number().positive(),
  /** Position on the template's reference diagram, both in [0, 1]. */
  ref: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
});
var keypointTemplateSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: localizedSchema,
  kind: z.enum(["face", "body", "hand", "custom"]),
  points: z.array(templatePointSchema).min(1).max(512),
  /** Edges between point indices (0-based) drawn as lines. */
  skeleton: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  /** Pairs of point indices (0-based) that swap under a horizontal flip. */
  flipPairs: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  /** The pair whose distance normalises NME (0-based), or null where NME uses the box size. */
  normalization: z.tuple([z.number().int().min(0), z.number().int().min(0)]).nullable(),
  /** Aspect ratio (width / height) of the reference diagram. */
  refAspect: z.number().positive()
}).superRefine((t, ctx) => {
  const n = t.points.length;
  const ids = /* @__PURE__ */ new Set();
  t.points.forEach((p, i) => {
    if (ids.has(p.id))
      ctx.addIssue({ code: "custom", path: ["points", i, "id"], message: `duplicate point id ${p.id}` });
    ids.add(p.id);
  });
  const check = (pairs, key) => pairs.forEach(([a, b], i) => {
    if (a >= n || b >= n || a === b)
      ctx.addIssue({
        code: "custom",
        path: [key, i],
        message: `pair [${a}, ${b}] is out of range for ${n} points`
      });
  });
  check(t.skeleton, "skeleton");
  check(t.flipPairs, "flipPairs");
  if (t.normalization) check([t.normalization], "normalization");
});

// src/core/templates/index.ts
var builtinTemplates = [face68, face5, body17, hand21];
function getBuiltinTemplate(id2) {
  return builtinTemplates.find((t) => t.id === id2);
}

// src/server/config.ts
import net from "node:net";
import path2 from "node:path";
import { z as z2 } from "zod";
function isProxyAddress(s) {
  if (["loopback", "linklocal", "uniquelocal"].includes(s)) return true;
  const [addr, bits, ...rest] = s.split("/");
  const family = net.isIP(addr);
  if (!family || rest.length > 0) return false;
  if (bits === void 0) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}
var configSchema = z2.object({
  host: z2.string().min(1).default("0.0.0.0"),
  port: z2.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z2.string().min(1).default("./data"),
  /** `sqlite:<path>` (default `sqlite:<dataDir>/shugu.db`) or a `postgres://` URL. */
  databaseUrl: z2.string().regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, "must start with sqlite: or postgres://").optional(),
  /** Folder for image blobs (default `<dataDir>/blobs`). */
  blobDir: z2.string().min(1).optional(),
  /** Images larger than this many pixels are refused (pixel bombs). */
  maxImagePixels: z2.coerce.number().int().positive().default(1e8),
  /** Largest single upload (file or zip) in bytes. */
  maxUploadBytes: z2.coerce.number().int().positive().default(1024 * 1024 * 1024),
  /** Largest total uncompressed size of one zip archive, in bytes (zip bombs). */
  maxZipBytes: z2.coerce.number().int().positive().default(4 * 1024 * 1024 * 1024),
  /** Failed logins allowed per user name and address in `loginWindowSeconds`. */
  loginMaxFailures: z2.coerce.number().int().positive().default(10),
  /** Failed logins allowed per address across all user names in the window (password spraying). */
  loginMaxFailuresPerAddress: z2.coerce.number().int().positive().default(50),
  /**
   * Failures of one user name across all addresses in the window after which every
   * further attempt on that name waits `loginSlowdownMs` first. It never refuses, so
   * nobody can lock a user out from addresses that are not the user's own.
   */
  loginSlowdownAfter: z2.coerce.number().int().positive().default(100),
  loginSlowdownMs: z2.coerce.number().int().min(0).max(6e4).default(1e3),
  loginWindowSeconds: z2.coerce.number().int().positive().default(900),
  /**
   * Reverse proxies whose X-Forwarded-For / -Proto / -Host headers are believed:
   * addresses or CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`). Empty
   * (the default) trusts none: the client address is the socket's.
   */
  trustProxy: z2.array(z2.string().refine(isProxyAddress, "must be IP addresses or CIDR ranges")).default([]),
  sessionDays: z2.coerce.number().positive().default(14),
  /** Folders the CLI and the manifest import may read image files from. */
  importRoots: z2.array(z2.string()).default([]),
  /**
   * SQLite durability. GROUP (default): writes are acknowledged after a shared fsync of
   * the write-ahead log, which survives power loss at a fraction of FULL's cost;
   * FULL: fsync on every commit; NORMAL: survives a process crash, not a power cut.
   */
  sqliteSync: z2.enum(["GROUP", "FULL", "NORMAL"]).default("GROUP"),
  /** Seed a demo organisation, users and project when the database is empty. */
  seedDemo: z2.boolean().default(true),
  logLevel: z2.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies: z2.boolean().default(false)
});
var ENV_KEYS = {
  SHUGU_HOST: "host",
  SHUGU_PORT: "port",
  PORT: "port",
  SHUGU_DATA_DIR: "dataDir",
  SHUGU_DATABASE_URL: "databaseUrl",
  SHUGU_BLOB_DIR: "blobDir",
  SHUGU_MAX_IMAGE_PIXELS: "maxImagePixels",
  SHUGU_MAX_UPLOAD_BYTES: "maxUploadBytes",
  SHUGU_MAX_ZIP_BYTES: "maxZipBytes",
  SHUGU_LOGIN_MAX_FAILURES: "loginMaxFailures",
  SHUGU_LOGIN_WINDOW_SECONDS: "loginWindowSeconds",
  SHUGU_LOGIN_MAX_FAILURES_PER_ADDRESS: "loginMaxFailuresPerAddress",
  SHUGU_LOGIN_SLOWDOWN_AFTER: "loginSlowdownAfter",
  SHUGU_LOGIN_SLOWDOWN_MS: "loginSlowdownMs",
  SHUGU_TRUST_PROXY: "trustProxy",
  SHUGU_SESSION_DAYS: "sessionDays",
  SHUGU_IMPORT_ROOTS: "importRoots",
  SHUGU_SQLITE_SYNC: "sqliteSync",
  SHUGU_SEED_DEMO: "seedDemo",
  SHUGU_LOG_LEVEL: "logLevel",
  SHUGU_SECURE_COOKIES: "secureCookies"
};
var ConfigError = class extends Error {
  constructor(problems) {
    super(`Invalid configuration:
${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
  problems;
};
var BOOLEAN_KEYS = /* @__PURE__ */ new Set(["seedDemo", "secureCookies"]);
function coerceRaw(key, value) {
  if (key === "importRoots") return value.split(path2.delimiter).filter(Boolean);
  if (key === "trustProxy") {
    return value.split(",").map((s) => s.trim()).filter(Boolean);
  }
  if (BOOLEAN_KEYS.has(key)) {
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    return value;
  }
  return value;
}
function loadConfig(env, overrides = {}) {
  const problems = [];
  const raw = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === void 0 || value === "") continue;
    const key = ENV_KEYS[name];
    if (!key) {
      if (name.startsWith("SHUGU_") && !name.startsWith("SHUGU_TEST_")) problems.push(`${name}: unknown setting`);
      continue;
    }
    raw[key] = coerceRaw(key, value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === void 0) continue;
    if (!(key in configSchema.shape)) {
      problems.push(`${key}: unknown setting`);
      continue;
    }
    raw[key] = typeof value === "string" ? coerceRaw(key, value) : value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const envName = (key) => Object.keys(ENV_KEYS).find((k) => ENV_KEYS[k] === key) ?? key;
    for (const issue of parsed.error.issues) problems.push(`${envName(String(issue.path[0]))}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  const dataDir = path2.resolve(c.dataDir);
  return {
    ...c,
    dataDir,
    databaseUrl: c.databaseUrl ?? `sqlite:${path2.join(dataDir, "shugu.db")}`,
    blobDir: path2.resolve(c.blobDir ?? path2.join(dataDir, "blobs")),
    importRoots: c.importRoots.map((r) => path2.resolve(r))
  };
}

// src/server/db/database.ts
import fs3 from "node:fs";
import path3 from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";

// src/server/db/migrations/2026-11-28-0001-init.ts
var init_exports = {};
__export(init_exports, {
  up: () => up
});
async function up(db, dialect) {
  const id2 = dialect === "postgres" ? "serial" : "integer";
  const ms = "bigint";
  const idCol = (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement();
  await db.schema.createTable("orgs").addColumn("id", id2, idCol).addColumn("name", "text", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull()).addColumn("created_at", ms, (c) => c.notNull()).execute();
  await db.schema.createTable("users").addColumn("id", id2, idCol).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("username", "text", (c) => c.notNull().unique()).addColumn("display_name", "text", (c) => c.notNull()).addColumn("password_hash", "text", (c) => c.notNull()).addColumn("role", "text", (c) => c.notNull()).addColumn("locale", "text", (c) => c.notNull().defaultTo("zh-CN")).addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0)).addColumn("county", "text").addColumn("township", "text").addColumn("village", "text").addColumn("household", "text", (c) => c.notNull().defaultTo("none")).addColumn("created_at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("users_org").on("users").column("org_id").execute();
  await db.schema.createTable("sessions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "integer", (c) => c.notNull().references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).addColumn("expires_at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
  await db.schema.createTable("api_tokens").addColumn("id", id2, idCol).addColumn("user_id", "integer", (c) => c.notNull().references("users.id")).addColumn("token_hash", "text", (c) => c.notNull().unique()).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", ms, (c) => c.notNull()).addColumn("revoked_at", ms).execute();
  await db.schema.createTable("login_failures").addColumn("id", id2, idCol).addColumn("username", "text", (c) => c.notNull()).addColumn("ip", "text", (c) => c.notNull()).addColumn("at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("login_failures_key").on("login_failures").columns(["username", "ip", "at"]).execute();
  await db.schema.createTable("projects").addColumn("id", id2, idCol).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("client_org_id", "integer", (c) => c.references("orgs.id")).addColumn("name", "text", (c) => c.notNull()).addColumn("template", "text", (c) => c.notNull()).addColumn("instructions", "text", (c) => c.notNull().defaultTo("")).addColumn("overlap", "integer", (c) => c.notNull()).addColumn("lease_seconds", "integer", (c) => c.notNull()).addColumn("piece_rate_fen", "integer", (c) => c.notNull()).addColumn("max_instances", "integer", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().defaultTo("active")).addColumn("created_by", "integer", (c) => c.notNull().references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).execute();
  await db.schema.createTable("blobs").addColumn("sha256", "text", (c) => c.primaryKey()).addColumn("size", "bigint", (c) => c.notNull()).addColumn("mime", "text", (c) => c.notNull()).addColumn("width", "integer", (c) => c.notNull()).addColumn("height", "integer", (c) => c.notNull()).addColumn("orientation", "integer", (c) => c.notNull().defaultTo(1)).addColumn("has_preview", "integer", (c) => c.notNull().defaultTo(0)).addColumn("created_at", ms, (c) => c.notNull()).execute();
  await db.schema.createTable("items").addColumn("id", id2, idCol).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("blob_sha256", "text", (c) => c.references("blobs.sha256")).addColumn("source_path", "text").addColumn("name", "text", (c) => c.notNull()).addColumn("width", "integer", (c) => c.notNull()).addColumn("height", "integer", (c) => c.notNull()).addColumn("meta", "text").addColumn("is_gold", "integer", (c) => c.notNull().defaultTo(0)).addColumn("claimed", "integer", (c) => c.notNull().defaultTo(0)).addColumn("open", "integer", (c) => c.notNull().defaultTo(1)).addColumn("submitted", "integer", (c) => c.notNull().defaultTo(0)).addColumn("created_at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("items_lease").on("items").columns(["project_id", "open", "id"]).execute();
  await db.schema.createIndex("items_project").on("items").columns(["project_id", "id"]).execute();
  await db.schema.createIndex("items_blob").on("items").columns(["project_id", "blob_sha256"]).execute();
  await db.schema.createTable("assignments").addColumn("id", id2, idCol).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("item_id", "integer", (c) => c.notNull().references("items.id")).addColumn("worker_id", "integer", (c) => c.notNull().references("users.id")).addColumn("status", "text", (c) => c.notNull()).addColumn("leased_at", ms, (c) => c.notNull()).addColumn("expires_at", ms, (c) => c.notNull()).addColumn("ended_at", ms).addColumn("skip_reason", "text").addUniqueConstraint("assignments_item_worker", ["item_id", "worker_id"]).execute();
  await db.schema.createIndex("assignments_expiry").on("assignments").columns(["status", "expires_at"]).execute();
  await db.schema.createIndex("assignments_worker").on("assignments").columns(["worker_id", "status"]).execute();
  await db.schema.createTable("annotations").addColumn("id", id2, idCol).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("item_id", "integer", (c) => c.notNull().references("items.id")).addColumn("assignment_id", "integer", (c) => c.notNull().references("assignments.id")).addColumn("worker_id", "integer", (c) => c.notNull().references("users.id")).addColumn("client_submission_id", "text", (c) => c.notNull()).addColumn("data", "text", (c) => c.notNull()).addColumn("instance_count", "integer", (c) => c.notNull()).addColumn("active_ms", "integer", (c) => c.notNull().defaultTo(0)).addColumn("created_at", ms, (c) => c.notNull()).addUniqueConstraint("annotations_idempotency", ["worker_id", "client_submission_id"]).addUniqueConstraint("annotations_assignment", ["assignment_id"]).execute();
  await db.schema.createIndex("annotations_project").on("annotations").columns(["project_id", "id"]).execute();
  await db.schema.createIndex("annotations_item").on("annotations").column("item_id").execute();
}

// src/server/db/migrations/2026-11-28-0002-quality.ts
var quality_exports = {};
__export(quality_exports, {
  up: () => up2
});
async function up2(db, dialect) {
  const id2 = dialect === "postgres" ? "serial" : "integer";
  const idCol = (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement();
  const real = dialect === "postgres" ? "double precision" : "real";
  const projectColumns = [
    ["gold_rate", real, 0],
    ["warn_below", real, 0.75],
    ["suspend_below", real, 0.6],
    ["min_gold", "integer", 5],
    ["review_rate", real, 0],
    ["agreement_threshold", real, 0.5],
    ["low_agreement_action", "text", "review"],
    ["consensus_method", "text", "median"]
  ];
  for (const [name, type, def] of projectColumns) {
    await db.schema.alterTable("projects").addColumn(name, type, (c) => c.notNull().defaultTo(def)).execute();
  }
  await db.schema.alterTable("items").addColumn("extra_overlap", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("items").addColumn("review_state", "text", (c) => c.notNull().defaultTo("none")).execute();
  await db.schema.alterTable("annotations").addColumn("status", "text", (c) => c.notNull().defaultTo("submitted")).execute();
  await db.schema.createIndex("items_gold").on("items").columns(["project_id", "is_gold", "id"]).execute();
  await db.schema.createIndex("items_review").on("items").columns(["project_id", "review_state", "id"]).execute();
  await db.schema.createTable("gold_answers").addColumn("item_id", "integer", (c) => c.primaryKey().references("items.id")).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("data", "text", (c) => c.notNull()).addColumn("source", "text", (c) => c.notNull()).addColumn("created_by", "integer", (c) => c.notNull().references("users.id")).addColumn("created_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.createTable("gold_scores").addColumn("id", id2, idCol).addColumn("annotation_id", "integer", (c) => c.notNull().unique().references("annotations.id")).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("item_id", "integer", (c) => c.notNull().references("items.id")).addColumn("worker_id", "integer", (c) => c.notNull().references("users.id")).addColumn("score", real, (c) => c.notNull()).addColumn("nme", real).addColumn("swapped", "integer", (c) => c.notNull().defaultTo(0)).addColumn("feedback", "text", (c) => c.notNull()).addColumn("per_point", "text").addColumn("created_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.createIndex("gold_scores_worker").on("gold_scores").columns(["project_id", "worker_id", "id"]).execute();
  await db.schema.createTable("worker_standing").addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("worker_id", "integer", (c) => c.notNull().references("users.id")).addColumn("status", "text", (c) => c.notNull()).addColumn("accuracy", real).addColumn("gold_count", "integer", (c) => c.notNull().defaultTo(0)).addColumn("reason", "text").addColumn("updated_at", "bigint", (c) => c.notNull()).addPrimaryKeyConstraint("worker_standing_pk", ["project_id", "worker_id"]).execute();
  await db.schema.createTable("consensus").addColumn("item_id", "integer", (c) => c.primaryKey().references("items.id")).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("data", "text", (c) => c.notNull()).addColumn("agreement", real, (c) => c.notNull()).addColumn("details", "text", (c) => c.notNull()).addColumn("submissions", "integer", (c) => c.notNull()).addColumn("created_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.createIndex("consensus_project").on("consensus").columns(["project_id", "item_id"]).execute();
  await db.schema.createTable("reviews").addColumn("id", id2, idCol).addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("item_id", "integer", (c) => c.notNull().references("items.id")).addColumn("annotation_id", "integer", (c) => c.notNull().references("annotations.id")).addColumn("reviewer_id", "integer", (c) => c.notNull().references("users.id")).addColumn("verdict", "text", (c) => c.notNull()).addColumn("reason_code", "text").addColumn("comment", "text").addColumn("created_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.createIndex("reviews_annotation").on("reviews").column("annotation_id").execute();
}

// src/server/db/migrations/2026-11-28-0003-lease-index.ts
var lease_index_exports = {};
__export(lease_index_exports, {
  up: () => up3
});
import { sql } from "kysely";
async function up3(db) {
  await db.schema.createIndex("items_leasable").on("items").columns(["project_id", "id"]).where(sql.ref("open"), "=", 1).where(sql.ref("is_gold"), "=", 0).execute();
  await db.schema.dropIndex("items_lease").execute();
  await db.schema.dropIndex("items_gold").execute();
  await db.schema.createIndex("items_gold_only").on("items").columns(["project_id", "id"]).where(sql.ref("is_gold"), "=", 1).execute();
}

// src/server/db/migrations/2026-12-02-0004-tenancy.ts
var tenancy_exports = {};
__export(tenancy_exports, {
  up: () => up4
});
import { sql as sql2 } from "kysely";
async function up4(db) {
  await db.schema.alterTable("orgs").addColumn("vendor_org_id", "integer", (c) => c.references("orgs.id")).execute();
  await db.schema.createIndex("orgs_vendor").on("orgs").column("vendor_org_id").execute();
  await sql2`
    update orgs set vendor_org_id = coalesce(
      (select p.org_id from projects p where p.client_org_id = orgs.id order by p.id limit 1),
      (select v.id from orgs v where v.kind = 'vendor' order by v.id limit 1)
    )
    where kind = 'client'
  `.execute(db);
  await db.schema.createTable("org_blobs").addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("sha256", "text", (c) => c.notNull().references("blobs.sha256")).addPrimaryKeyConstraint("org_blobs_pk", ["org_id", "sha256"]).execute();
  await sql2`
    insert into org_blobs (org_id, sha256)
    select p.org_id, i.blob_sha256
      from items i join projects p on p.id = i.project_id
     where i.blob_sha256 is not null
    union
    select p.client_org_id, i.blob_sha256
      from items i join projects p on p.id = i.project_id
     where i.blob_sha256 is not null and p.client_org_id is not null
  `.execute(db);
}

// src/server/db/migrations/2026-12-02-0005-tokens.ts
var tokens_exports = {};
__export(tokens_exports, {
  up: () => up5
});
async function up5(db) {
  await db.schema.alterTable("api_tokens").addColumn("scope", "text", (c) => c.notNull().defaultTo("write")).execute();
  await db.schema.alterTable("api_tokens").addColumn("expires_at", "bigint").execute();
  await db.schema.alterTable("api_tokens").addColumn("last_used_at", "bigint").execute();
  await db.schema.createIndex("api_tokens_user").on("api_tokens").columns(["user_id", "id"]).execute();
  await db.schema.createIndex("login_failures_ip").on("login_failures").columns(["ip", "at"]).execute();
}

// src/server/db/migrations/2026-12-02-0006-people.ts
var people_exports = {};
__export(people_exports, {
  up: () => up6
});
import { sql as sql3 } from "kysely";
async function up6(db, dialect) {
  const id2 = dialect === "postgres" ? "serial" : "integer";
  const ms = "bigint";
  const idCol = (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement();
  await db.schema.createTable("household_statuses").addColumn("code", "text", (c) => c.primaryKey()).addColumn("label_zh", "text", (c) => c.notNull()).addColumn("label_en", "text", (c) => c.notNull()).addColumn("sort", "integer", (c) => c.notNull().defaultTo(0)).addColumn("active", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.insertInto("household_statuses").values([
    {
      code: "registered_poor",
      label_zh: "\u5EFA\u6863\u7ACB\u5361\u8D2B\u56F0\u6237",
      label_en: "Registered poor household",
      sort: 10,
      active: 1
    },
    { code: "lifted", label_zh: "\u8131\u8D2B\u6237", label_en: "Lifted out of poverty (still registered)", sort: 20, active: 1 },
    { code: "monitored", label_zh: "\u9632\u6B62\u8FD4\u8D2B\u76D1\u6D4B\u5BF9\u8C61", label_en: "Monitored household", sort: 30, active: 1 },
    { code: "none", label_zh: "\u4E00\u822C\u6237", label_en: "None", sort: 90, active: 1 }
  ]).execute();
  await db.schema.createTable("teams").addColumn("id", id2, idCol).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("name", "text", (c) => c.notNull()).addColumn("lead_user_id", "integer", (c) => c.references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).addUniqueConstraint("teams_org_name", ["org_id", "name"]).execute();
  await db.schema.alterTable("users").addColumn("phone", "text").execute();
  await db.schema.alterTable("users").addColumn("start_date", "text").execute();
  await db.schema.alterTable("users").addColumn("end_date", "text").execute();
  await db.schema.alterTable("users").addColumn("consent_named", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("users").addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("users").addColumn("team_id", "integer", (c) => c.references("teams.id")).execute();
  await db.schema.createIndex("users_team").on("users").column("team_id").execute();
  await db.schema.createTable("project_members").addColumn("project_id", "integer", (c) => c.notNull().references("projects.id")).addColumn("user_id", "integer", (c) => c.references("users.id")).addColumn("team_id", "integer", (c) => c.references("teams.id")).addColumn("created_at", ms, (c) => c.notNull()).addCheckConstraint("project_members_one_of", sql3`(user_id is null) <> (team_id is null)`).execute();
  await db.schema.createIndex("project_members_project").on("project_members").columns(["project_id", "user_id", "team_id"]).execute();
  await db.schema.createIndex("project_members_user").on("project_members").columns(["project_id", "user_id"]).unique().where(sql3.ref("user_id"), "is not", null).execute();
  await db.schema.createIndex("project_members_team").on("project_members").columns(["project_id", "team_id"]).unique().where(sql3.ref("team_id"), "is not", null).execute();
  await db.schema.createTable("profile_changes").addColumn("id", id2, idCol).addColumn("user_id", "integer", (c) => c.notNull().references("users.id")).addColumn("changed_by", "integer", (c) => c.references("users.id")).addColumn("field", "text", (c) => c.notNull()).addColumn("old_value", "text").addColumn("new_value", "text").addColumn("at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("profile_changes_user").on("profile_changes").columns(["user_id", "id"]).execute();
  await db.schema.createTable("invitations").addColumn("id", id2, idCol).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("code_hash", "text", (c) => c.notNull().unique()).addColumn("role", "text", (c) => c.notNull()).addColumn("team_id", "integer", (c) => c.references("teams.id")).addColumn("expires_at", ms, (c) => c.notNull()).addColumn("max_uses", "integer", (c) => c.notNull()).addColumn("uses", "integer", (c) => c.notNull().defaultTo(0)).addColumn("created_by", "integer", (c) => c.notNull().references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).addColumn("revoked_at", ms).execute();
  await db.schema.createIndex("invitations_org").on("invitations").columns(["org_id", "id"]).execute();
  await db.schema.createTable("one_time_codes").addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id")).addColumn("code_hash", "text", (c) => c.notNull()).addColumn("expires_at", ms, (c) => c.notNull()).addColumn("used_at", ms).addColumn("created_by", "integer", (c) => c.references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).execute();
}

// src/server/db/migrations/2026-12-02-0007-training.ts
var training_exports = {};
__export(training_exports, {
  up: () => up7
});
import { sql as sql4 } from "kysely";
async function up7(db, dialect) {
  const id2 = dialect === "postgres" ? "serial" : "integer";
  const ms = "bigint";
  const real = dialect === "postgres" ? "double precision" : "real";
  const idCol = (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement();
  await db.schema.createTable("training_courses").addColumn("id", id2, idCol).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("template_id", "text", (c) => c.notNull()).addColumn("template", "text", (c) => c.notNull()).addColumn("title", "text", (c) => c.notNull()).addColumn("description", "text", (c) => c.notNull().defaultTo("")).addColumn("status", "text", (c) => c.notNull().defaultTo("draft")).addColumn("pass_accuracy", real, (c) => c.notNull()).addColumn("pass_completeness", real, (c) => c.notNull()).addColumn("level2_accuracy", real, (c) => c.notNull()).addColumn("level3_accuracy", real, (c) => c.notNull()).addColumn("cooldown_minutes", "integer", (c) => c.notNull()).addColumn("created_by", "integer", (c) => c.references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).addColumn("updated_at", ms, (c) => c.notNull()).addUniqueConstraint("training_courses_org_template", ["org_id", "template_id"]).execute();
  await db.schema.createTable("training_lessons").addColumn("id", id2, idCol).addColumn("course_id", "integer", (c) => c.notNull().references("training_courses.id")).addColumn("position", "integer", (c) => c.notNull()).addColumn("title", "text", (c) => c.notNull()).addColumn("body", "text", (c) => c.notNull()).addColumn("created_at", ms, (c) => c.notNull()).addColumn("updated_at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("training_lessons_course").on("training_lessons").columns(["course_id", "position"]).execute();
  await db.schema.createTable("training_assets").addColumn("course_id", "integer", (c) => c.notNull().references("training_courses.id")).addColumn("blob_sha256", "text", (c) => c.notNull().references("blobs.sha256")).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", ms, (c) => c.notNull()).addPrimaryKeyConstraint("training_assets_pk", ["course_id", "blob_sha256"]).execute();
  await db.schema.createTable("training_items").addColumn("id", id2, idCol).addColumn("course_id", "integer", (c) => c.notNull().references("training_courses.id")).addColumn("kind", "text", (c) => c.notNull()).addColumn("position", "integer", (c) => c.notNull()).addColumn("blob_sha256", "text", (c) => c.notNull().references("blobs.sha256")).addColumn("name", "text", (c) => c.notNull()).addColumn("width", "integer", (c) => c.notNull()).addColumn("height", "integer", (c) => c.notNull()).addColumn("reference", "text").addColumn("source", "text", (c) => c.notNull().defaultTo("editor")).addColumn("active", "integer", (c) => c.notNull().defaultTo(1)).addColumn("created_by", "integer", (c) => c.references("users.id")).addColumn("created_at", ms, (c) => c.notNull()).addColumn("updated_at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("training_items_course").on("training_items").columns(["course_id", "kind", "position"]).execute();
  await db.schema.createTable("training_attempts").addColumn("id", id2, idCol).addColumn("course_id", "integer", (c) => c.notNull().references("training_courses.id")).addColumn("user_id", "integer", (c) => c.notNull().references("users.id")).addColumn("status", "text", (c) => c.notNull()).addColumn("item_ids", "text", (c) => c.notNull()).addColumn("pass_accuracy", real, (c) => c.notNull()).addColumn("pass_completeness", real, (c) => c.notNull()).addColumn("started_at", ms, (c) => c.notNull()).addColumn("expires_at", ms, (c) => c.notNull()).addColumn("finished_at", ms).addColumn("accuracy", real).addColumn("completeness", real).addColumn("level", "integer").execute();
  await db.schema.createIndex("training_attempts_user").on("training_attempts").columns(["user_id", "course_id", "id"]).execute();
  await db.schema.createIndex("training_attempts_one_open").on("training_attempts").columns(["user_id", "course_id"]).unique().where(sql4.ref("status"), "=", "open").execute();
  await db.schema.createTable("training_answers").addColumn("id", id2, idCol).addColumn("course_id", "integer", (c) => c.notNull().references("training_courses.id")).addColumn("item_id", "integer", (c) => c.notNull().references("training_items.id")).addColumn("user_id", "integer", (c) => c.notNull().references("users.id")).addColumn("attempt_id", "integer", (c) => c.references("training_attempts.id")).addColumn("kind", "text", (c) => c.notNull()).addColumn("data", "text", (c) => c.notNull()).addColumn("score", real, (c) => c.notNull()).addColumn("complete", "integer", (c) => c.notNull()).addColumn("point_px", "text").addColumn("created_at", ms, (c) => c.notNull()).addColumn("updated_at", ms, (c) => c.notNull()).execute();
  await db.schema.createIndex("training_answers_attempt_item").on("training_answers").columns(["attempt_id", "item_id"]).unique().where(sql4.ref("attempt_id"), "is not", null).execute();
  await db.schema.createIndex("training_answers_user").on("training_answers").columns(["user_id", "course_id", "kind"]).execute();
  await db.schema.createTable("certifications").addColumn("id", id2, idCol).addColumn("user_id", "integer", (c) => c.notNull().references("users.id")).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("template_id", "text", (c) => c.notNull()).addColumn("level", "integer", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull()).addColumn("certified_at", ms, (c) => c.notNull()).addColumn("course_id", "integer", (c) => c.references("training_courses.id")).addColumn("attempt_id", "integer", (c) => c.references("training_attempts.id")).addColumn("granted_by", "integer", (c) => c.references("users.id")).addColumn("updated_at", ms, (c) => c.notNull()).addUniqueConstraint("certifications_user_template", ["user_id", "template_id"]).execute();
}

// src/server/db/migrations/2026-12-02-0008-pay.ts
var pay_exports = {};
__export(pay_exports, {
  up: () => up8
});
import { sql as sql5 } from "kysely";
async function up8(db, dialect) {
  const id2 = dialect === "postgres" ? "serial" : "integer";
  const idCol = (c) => dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement();
  const real = dialect === "postgres" ? "double precision" : "real";
  await db.schema.alterTable("projects").addColumn("bonus_tiers", "text", (c) => c.notNull().defaultTo("[]")).execute();
  await db.schema.alterTable("projects").addColumn("hourly_floor_fen", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("projects").addColumn("accept_oks", real, (c) => c.notNull().defaultTo(0.75)).execute();
  await db.schema.alterTable("orgs").addColumn("min_hourly_wage_fen", "integer", (c) => c.notNull().defaultTo(2e3)).execute();
  await db.schema.alterTable("annotations").addColumn("accepted_at", "bigint").execute();
  await db.schema.alterTable("annotations").addColumn("accuracy", real).execute();
  await db.schema.createIndex("annotations_worker").on("annotations").columns(["worker_id", "id"]).execute();
  await db.schema.createTable("pay_periods").addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("period", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().defaultTo("open")).addColumn("created_at", "bigint", (c) => c.notNull()).addColumn("closed_at", "bigint").addColumn("closed_by", "integer", (c) => c.references("users.id")).addPrimaryKeyConstraint("pay_periods_pk", ["org_id", "period"]).addCheckConstraint("pay_periods_status", sql5`status in ('open', 'closed')`).execute();
  await db.schema.createTable("ledger_entries").addColumn("id", id2, idCol).addColumn("org_id", "integer", (c) => c.notNull().references("orgs.id")).addColumn("worker_id", "integer", (c) => c.notNull().references("users.id")).addColumn("project_id", "integer", (c) => c.references("projects.id")).addColumn("annotation_id", "integer", (c) => c.references("annotations.id")).addColumn("kind", "text", (c) => c.notNull()).addColumn("amount_fen", "integer", (c) => c.notNull()).addColumn("period", "text", (c) => c.notNull()).addColumn("reverses_id", "integer", (c) => c.references("ledger_entries.id")).addColumn("reason", "text").addColumn("idem_key", "text").addColumn("created_at", "bigint", (c) => c.notNull()).addColumn("created_by", "integer", (c) => c.references("users.id")).addUniqueConstraint("ledger_one_reversal", ["reverses_id"]).addUniqueConstraint("ledger_idem", ["org_id", "idem_key"]).addCheckConstraint(
    "ledger_kind_sign",
    sql5`(kind in ('earning', 'bonus', 'floor_topup') and amount_fen >= 0)
        or (kind = 'payout' and amount_fen < 0)
        or kind in ('reversal', 'adjustment')`
  ).addCheckConstraint("ledger_reversal_link", sql5`(kind = 'reversal') = (reverses_id is not null)`).addCheckConstraint("ledger_earning_item", sql5`kind <> 'earning' or annotation_id is not null`).execute();
  await db.schema.createIndex("ledger_one_earning").on("ledger_entries").column("annotation_id").unique().where(sql5.ref("kind"), "=", "earning").execute();
  await db.schema.createIndex("ledger_worker").on("ledger_entries").columns(["worker_id", "period", "id"]).execute();
  await db.schema.createIndex("ledger_org_period").on("ledger_entries").columns(["org_id", "period"]).execute();
  await db.schema.createIndex("ledger_annotation").on("ledger_entries").column("annotation_id").execute();
  if (dialect === "postgres") {
    await sql5`create function ledger_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger_entries is append-only: add a reversing entry instead';
      end $$`.execute(db);
    await sql5`create trigger ledger_no_change before update or delete on ledger_entries
      for each row execute function ledger_append_only()`.execute(db);
    await sql5`create function ledger_open_period() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from pay_periods p
                   where p.org_id = new.org_id and p.period = new.period and p.status = 'closed') then
          raise exception 'pay period % is closed', new.period;
        end if;
        return new;
      end $$`.execute(db);
    await sql5`create trigger ledger_period_open before insert on ledger_entries
      for each row execute function ledger_open_period()`.execute(db);
  } else {
    await sql5`create trigger ledger_no_update before update on ledger_entries
      begin select raise(abort, 'ledger_entries is append-only: add a reversing entry instead'); end`.execute(db);
    await sql5`create trigger ledger_no_delete before delete on ledger_entries
      begin select raise(abort, 'ledger_entries is append-only: add a reversing entry instead'); end`.execute(db);
    await sql5`create trigger ledger_period_open before insert on ledger_entries
      when exists (select 1 from pay_periods p
                   where p.org_id = new.org_id and p.period = new.period and p.status = 'closed')
      begin select raise(abort, 'pay period is closed'); end`.execute(db);
  }
}

// src/server/db/migrations/index.ts
var migrations = {
  "2026-11-28-0001-init": init_exports,
  "2026-11-28-0002-quality": quality_exports,
  "2026-11-28-0003-lease-index": lease_index_exports,
  "2026-12-02-0004-tenancy": tenancy_exports,
  "2026-12-02-0005-tokens": tokens_exports,
  "2026-12-02-0006-people": people_exports,
  "2026-12-02-0007-training": training_exports,
  "2026-12-02-0008-pay": pay_exports
};

// src/server/db/durability.ts
import fs2 from "node:fs";
import fsp from "node:fs/promises";
var noDurabilityWait = { sync: async () => {
}, close: async () => {
} };
var WalGroupSync = class {
  constructor(walPath) {
    this.walPath = walPath;
  }
  walPath;
  handle = null;
  running = null;
  queued = null;
  sync() {
    if (this.running) {
      this.queued ??= this.running.then(() => {
        this.queued = null;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }
  start() {
    const run = this.datasync().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
  async datasync() {
    if (!fs2.existsSync(this.walPath)) return;
    this.handle ??= fsp.open(this.walPath, "r+");
    await (await this.handle).datasync();
  }
  async close() {
    if (this.handle) await (await this.handle).close().catch(() => {
    });
    this.handle = null;
  }
};

// src/server/db/database.ts
var dialects = /* @__PURE__ */ new WeakMap();
var sqliteHandles = /* @__PURE__ */ new WeakMap();
function sqliteHandle(db) {
  return sqliteHandles.get(db);
}
function dialectOf(db) {
  return dialects.get(db) ?? "sqlite";
}
pg.types.setTypeParser(20, (v) => Number(v));
function openDatabase(url, options = {}) {
  let db;
  let dialect;
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length);
    if (file !== ":memory:") fs3.mkdirSync(path3.dirname(path3.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma(`synchronous = ${options.sqliteSync === "FULL" ? "FULL" : "NORMAL"}`);
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 10000");
    sqlite.pragma("cache_size = -16384");
    db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    dialect = "sqlite";
    sqliteHandles.set(db, sqlite);
  } else {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 20 });
    pool.on("error", () => {
    });
    db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    dialect = "postgres";
  }
  dialects.set(db, dialect);
  return db;
}
function withStatementCache(sqlite) {
  const cache = /* @__PURE__ */ new Map();
  return {
    close: () => sqlite.close(),
    prepare(text2) {
      let stmt = cache.get(text2);
      if (!stmt) {
        if (cache.size >= 1e3) cache.clear();
        stmt = sqlite.prepare(text2);
        cache.set(text2, stmt);
      }
      return stmt;
    }
  };
}
function durabilityFor(url, sync) {
  if (!url.startsWith("sqlite:") || sync !== "GROUP") return noDurabilityWait;
  const file = url.slice("sqlite:".length);
  return file === ":memory:" ? noDurabilityWait : new WalGroupSync(`${path3.resolve(file)}-wal`);
}
async function migrate(db) {
  const dialect = dialectOf(db);
  const provider = {
    async getMigrations() {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (k) => m.up(k, dialect) }])
      );
    }
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`database migration ${failed ?? ""} failed: ${error.message ?? error}`);
  }
}

// src/server/repositories/annotation.repository.ts
var AnnotationRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  insert(trx, values) {
    return trx.insertInto("annotations").values(values).returning(["id", "created_at"]).executeTakeFirstOrThrow();
  }
  findBySubmissionId(trx, workerId, clientSubmissionId) {
    return trx.selectFrom("annotations").select(["id", "assignment_id", "item_id", "created_at"]).where("worker_id", "=", workerId).where("client_submission_id", "=", clientSubmissionId).executeTakeFirst();
  }
  listForItem(itemId) {
    return this.db.selectFrom("annotations").innerJoin("users", "users.id", "annotations.worker_id").select([
      "annotations.id",
      "annotations.worker_id",
      "users.username as worker_username",
      "annotations.data",
      "annotations.active_ms",
      "annotations.created_at"
    ]).where("annotations.item_id", "=", itemId).orderBy("annotations.id").execute();
  }
  /** One page of a project's annotations in id order, for streaming export. */
  page(projectId, afterId, limit) {
    return this.db.selectFrom("annotations").select(["id", "item_id", "worker_id", "data", "created_at"]).where("project_id", "=", projectId).where("id", ">", afterId).orderBy("id").limit(limit).execute();
  }
  async countForProject(projectId) {
    const row = await this.db.selectFrom("annotations").select((eb) => eb.fn.countAll().as("n")).where("project_id", "=", projectId).executeTakeFirstOrThrow();
    return Number(row.n);
  }
};

// src/server/repositories/export.repository.ts
import { sql as sql6 } from "kysely";
function finished(eb, overlap) {
  return eb.and([
    eb("items.is_gold", "=", 0),
    eb("items.submitted", ">=", sql6`${overlap} + items.extra_overlap`),
    eb("items.review_state", "in", ["none", "reviewed"]),
    eb.exists(eb.selectFrom("consensus").select("consensus.item_id").whereRef("consensus.item_id", "=", "items.id"))
  ]);
}
var ExportRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** Items in id order, each with whether it is finished. */
  async items(projectId, overlap, filter, afterId, limit) {
    const rows4 = await this.db.selectFrom("items").select(["id", "name", "width", "height", "is_gold"]).select((eb) => eb.case().when(finished(eb, overlap)).then(sql6.lit(1)).else(sql6.lit(0)).end().as("finished")).where("project_id", "=", projectId).where("id", ">", afterId).$if(
      !filter.all,
      (qb) => qb.where((eb) => {
        const wanted = [finished(eb, overlap)];
        if (filter.unfinished) wanted.push(eb("items.is_gold", "=", 0));
        if (filter.gold) wanted.push(eb("items.is_gold", "=", 1));
        return eb.or(wanted);
      })
    ).orderBy("id").limit(limit).execute();
    return rows4.map((r) => ({ ...r, finished: Number(r.finished) === 1 }));
  }
  /** The consensus of each finished item, in item order: the final dataset. */
  finalResults(projectId, overlap, afterItemId, limit) {
    return this.db.selectFrom("consensus").innerJoin("items", "items.id", "consensus.item_id").select(["consensus.item_id", "consensus.data"]).where("consensus.project_id", "=", projectId).where("consensus.item_id", ">", afterItemId).where("items.is_gold", "=", 0).where("items.submitted", ">=", sql6`${overlap} + items.extra_overlap`).where("items.review_state", "in", ["none", "reviewed"]).orderBy("consensus.item_id").limit(limit).execute();
  }
  /**
   * Stored answers in id order. `accepted`: the answers of finished items that still
   * count (not rejected by a reviewer, not discarded at a suspension: both are stored
   * as `rejected`). `all`: every answer, with the reason of a reviewer's rejection.
   */
  answers(projectId, overlap, which, afterId, limit) {
    return this.db.selectFrom("annotations").innerJoin("items", "items.id", "annotations.item_id").select([
      "annotations.id",
      "annotations.item_id",
      "annotations.worker_id",
      "annotations.data",
      "annotations.status",
      "annotations.created_at"
    ]).$if(
      which === "all",
      (qb) => qb.select(
        // Only rejected answers look for their review; a suspension rejects without one.
        sql6`case when annotations.status = 'rejected' then (
            select r.reason_code from reviews r
            where r.annotation_id = annotations.id and r.verdict = 'reject'
            order by r.id desc limit 1) end`.as("reject_reason")
      )
    ).where("annotations.project_id", "=", projectId).where("annotations.id", ">", afterId).$if(
      which === "accepted",
      (qb) => qb.where("annotations.status", "!=", "rejected").where((eb) => finished(eb, overlap))
    ).orderBy("annotations.id").limit(limit).execute();
  }
  /** Gold references in item order. */
  goldReferences(projectId, afterItemId, limit) {
    return this.db.selectFrom("gold_answers").select(["item_id", "data"]).where("project_id", "=", projectId).where("item_id", ">", afterItemId).orderBy("item_id").limit(limit).execute();
  }
};

// src/server/repositories/assignment.repository.ts
import { sql as sql7 } from "kysely";
var AssignmentRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** The worker's live leases in a project, oldest first. */
  activeLeases(trx, projectId, workerId, now) {
    return trx.selectFrom("assignments").select(["id", "item_id", "leased_at", "expires_at"]).where("worker_id", "=", workerId).where("status", "=", "leased").where("project_id", "=", projectId).where("expires_at", ">", now).orderBy("id").execute();
  }
  /**
   * The first open, non-gold item of the project this worker has never been given.
   * On PostgreSQL the row is locked and rows locked by concurrent leases are skipped,
   * so two servers never hand out the same slot.
   */
  async findLeasable(trx, projectId, workerId) {
    const skipLocked = dialectOf(this.db) === "postgres" ? sql7`for update skip locked` : sql7``;
    const row = await sql7`
      select i.id, i.width, i.height from items i
      where i.project_id = ${projectId} and i.open = 1 and i.is_gold = 0
        and not exists (select 1 from assignments a where a.item_id = i.id and a.worker_id = ${workerId})
      order by i.id
      limit 1
      ${skipLocked}`.execute(trx);
    return row.rows[0];
  }
  /**
   * Takes one overlap slot of an item (the project's overlap plus any extra the item
   * was given); false when it has none left. Gold items have no slots to take.
   */
  async claim(trx, itemId, overlap) {
    const res = await trx.updateTable("items").set({
      claimed: sql7`claimed + 1`,
      open: sql7`case when claimed + 1 < ${overlap} + extra_overlap then 1 else 0 end`
    }).where("id", "=", itemId).where("is_gold", "=", 0).where("claimed", "<", sql7`${overlap} + extra_overlap`).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  /** Gives back `count` slots of an item (expired, skipped, released or rejected). */
  unclaim(trx, itemId, overlap, count = 1) {
    return trx.updateTable("items").set({
      claimed: sql7`claimed - ${count}`,
      open: sql7`case when claimed - ${count} < ${overlap} + extra_overlap then 1 else 0 end`
    }).where("id", "=", itemId).where("is_gold", "=", 0).execute();
  }
  /** Asks for `more` extra answers on an item whose answers disagree. */
  addOverlap(trx, itemId, overlap, more = 1) {
    return trx.updateTable("items").set({
      extra_overlap: sql7`extra_overlap + ${more}`,
      open: sql7`case when claimed < ${overlap} + extra_overlap + ${more} then 1 else 0 end`
    }).where("id", "=", itemId).execute();
  }
  /**
   * A gold item of the project this worker has not had. Gold items carry no overlap,
   * so any number of workers can take one; which one a worker gets rotates with the
   * worker id, so workers do not all meet the same gold item first.
   */
  async findGold(trx, projectId, workerId) {
    const row = await sql7`
      select i.id from items i
      where i.project_id = ${projectId} and i.is_gold = 1
        and exists (select 1 from gold_answers g where g.item_id = i.id)
        and not exists (select 1 from assignments a where a.item_id = i.id and a.worker_id = ${workerId})
      order by (cast(i.id as bigint) * 7919 + ${workerId} * 104729) % 1000003
      limit 1`.execute(trx);
    return row.rows[0]?.id;
  }
  /** How many items, and how many of them gold, this worker has been given in a project. */
  async leaseCounts(trx, projectId, workerId) {
    const row = await trx.selectFrom("assignments").innerJoin("items", "items.id", "assignments.item_id").select((eb) => [eb.fn.countAll().as("total"), eb.fn.sum("items.is_gold").as("gold")]).where("assignments.worker_id", "=", workerId).where("assignments.project_id", "=", projectId).executeTakeFirstOrThrow();
    return { total: Number(row.total), gold: Number(row.gold ?? 0) };
  }
  insertLease(trx, projectId, itemId, workerId, now, expiresAt) {
    return trx.insertInto("assignments").values({
      project_id: projectId,
      item_id: itemId,
      worker_id: workerId,
      status: "leased",
      leased_at: now,
      expires_at: expiresAt
    }).returning(["id", "item_id", "leased_at", "expires_at"]).executeTakeFirstOrThrow();
  }
  get(trx, id2) {
    return trx.selectFrom("assignments").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  /** Ends a live lease; false when it was no longer live (a race lost to expiry). */
  async end(trx, id2, from, to, now, reason = null) {
    const res = await trx.updateTable("assignments").set({ status: to, ended_at: now, skip_reason: reason }).where("id", "=", id2).where("status", "=", from).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  /** A rejected answer: its slot and its count go back, so the item is done again. */
  unsubmit(trx, itemId, overlap) {
    return trx.updateTable("items").set({
      submitted: sql7`submitted - 1`,
      claimed: sql7`claimed - 1`,
      open: sql7`case when claimed - 1 < ${overlap} + extra_overlap then 1 else 0 end`
    }).where("id", "=", itemId).where("is_gold", "=", 0).execute();
  }
  /** Counts a submission; returns the item's counts after it. */
  markSubmitted(trx, itemId) {
    return trx.updateTable("items").set({ submitted: sql7`submitted + 1` }).where("id", "=", itemId).returning(["submitted", "extra_overlap"]).executeTakeFirstOrThrow();
  }
  /**
   * Expires every lease past its time and returns each item's slots to the pool.
   * Safe to run from several processes at once: a lease is expired by one UPDATE only.
   */
  async expireDue(trx, now) {
    const expired = await trx.updateTable("assignments").set({ status: "expired", ended_at: now }).where("status", "=", "leased").where("expires_at", "<=", now).returning(["item_id", "project_id"]).execute();
    if (expired.length === 0) return 0;
    const perItem2 = /* @__PURE__ */ new Map();
    for (const e of expired) {
      const cur = perItem2.get(e.item_id);
      if (cur) cur.n++;
      else perItem2.set(e.item_id, { projectId: e.project_id, n: 1 });
    }
    const projectIds = [...new Set(expired.map((e) => e.project_id))];
    const overlaps = new Map(
      (await trx.selectFrom("projects").select(["id", "overlap"]).where("id", "in", projectIds).execute()).map((p) => [
        p.id,
        p.overlap
      ])
    );
    for (const [itemId, { projectId, n }] of perItem2) {
      await this.unclaim(trx, itemId, overlaps.get(projectId) ?? 1, n);
    }
    return expired.length;
  }
  /** What a worker did today (UTC), for the workspace's counters. */
  async workerDay(workerId, dayStart) {
    const row = await this.db.selectFrom("annotations").select((eb) => [eb.fn.countAll().as("n"), eb.fn.sum("active_ms").as("ms")]).where("worker_id", "=", workerId).where("created_at", ">=", dayStart).executeTakeFirstOrThrow();
    return { submitted: Number(row.n), activeMs: Number(row.ms ?? 0) };
  }
};

// src/server/repositories/blob.repository.ts
var BlobRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** Records a blob; storing the same bytes twice keeps the first row. */
  upsert(values, executor = this.db) {
    return executor.insertInto("blobs").values(values).onConflict((oc) => oc.column("sha256").doNothing()).execute();
  }
  get(sha2563) {
    return this.db.selectFrom("blobs").selectAll().where("sha256", "=", sha2563).executeTakeFirst();
  }
  /** Of these images, those the organisation may name (see `imageHoldersOf`). */
  async usableBy(orgId, shas) {
    if (shas.length === 0) return /* @__PURE__ */ new Set();
    const rows4 = await this.db.selectFrom("org_blobs").select("sha256").where("org_id", "=", orgId).where("sha256", "in", shas).execute();
    return new Set(rows4.map((r) => r.sha256));
  }
  /** Lets each organisation name each image from now on; granting twice changes nothing. */
  async grant(executor, orgIds, shas) {
    const rows4 = orgIds.flatMap((org_id) => shas.map((sha2563) => ({ org_id, sha256: sha2563 })));
    for (let i = 0; i < rows4.length; i += 5e3) {
      await executor.insertInto("org_blobs").values(rows4.slice(i, i + 5e3)).onConflict((oc) => oc.columns(["org_id", "sha256"]).doNothing()).execute();
    }
  }
  async existing(shas) {
    if (shas.length === 0) return /* @__PURE__ */ new Map();
    const rows4 = await this.db.selectFrom("blobs").select(["sha256", "width", "height"]).where("sha256", "in", shas).execute();
    return new Map(rows4.map((r) => [r.sha256, { width: r.width, height: r.height }]));
  }
};

// src/server/repositories/item.repository.ts
var INSERT_CHUNK = 2e3;
var ItemRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /**
   * Bulk insert for imports. On SQLite one prepared statement runs per row inside the
   * caller's transaction: a million rows through the query builder cost several times
   * what SQLite itself spends on them.
   */
  async insertMany(rows4, executor = this.db) {
    const raw = sqliteHandle(this.db);
    if (raw) {
      const stmt = raw.prepare(
        "insert into items (project_id, blob_sha256, source_path, name, width, height, meta, is_gold, claimed, open, submitted, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      );
      for (const r of rows4) {
        stmt.run(
          r.project_id,
          r.blob_sha256 ?? null,
          r.source_path ?? null,
          r.name,
          r.width,
          r.height,
          r.meta ?? null,
          r.is_gold ?? 0,
          r.claimed ?? 0,
          r.open ?? 1,
          r.submitted ?? 0,
          r.created_at
        );
      }
      return rows4.length;
    }
    for (let i = 0; i < rows4.length; i += INSERT_CHUNK) {
      await executor.insertInto("items").values(rows4.slice(i, i + INSERT_CHUNK)).execute();
    }
    return rows4.length;
  }
  /** Inserts rows and returns what a caller shows of them, in chunks SQLite can bind. */
  async insertReturning(executor, rows4) {
    const out = [];
    for (let i = 0; i < rows4.length; i += INSERT_CHUNK) {
      out.push(
        ...await executor.insertInto("items").values(rows4.slice(i, i + INSERT_CHUNK)).returning(["id", "name", "width", "height"]).execute()
      );
    }
    return out;
  }
  get(id2) {
    return this.db.selectFrom("items").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  /** Items of a project by name (gold imports match COCO file names). */
  async byNames(projectId, names) {
    const out = [];
    for (let i = 0; i < names.length; i += 500) {
      out.push(
        ...await this.db.selectFrom("items").selectAll().where("project_id", "=", projectId).where("name", "in", names.slice(i, i + 500)).execute()
      );
    }
    return out;
  }
  /** One page of a project's items in id order (keyset pagination). */
  page(projectId, afterId, limit) {
    return this.db.selectFrom("items").selectAll().where("project_id", "=", projectId).where("id", ">", afterId).orderBy("id").limit(limit).execute();
  }
};
async function existingBlobsInProject(db, projectId, shas) {
  if (shas.length === 0) return /* @__PURE__ */ new Set();
  const rows4 = await db.selectFrom("items").select("blob_sha256").where("project_id", "=", projectId).where("blob_sha256", "in", shas).execute();
  return new Set(rows4.map((r) => r.blob_sha256));
}

// src/server/repositories/org.repository.ts
var OrgRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** A vendor (no `vendorOrgId`) or a client organisation of the vendor `vendorOrgId`. */
  create(name, kind, now, vendorOrgId = null) {
    return this.db.insertInto("orgs").values({ name, kind, created_at: now, vendor_org_id: kind === "client" ? vendorOrgId : null }).returning(["id", "name", "kind", "vendor_org_id", "created_at"]).executeTakeFirstOrThrow();
  }
  get(id2) {
    return this.db.selectFrom("orgs").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  list() {
    return this.db.selectFrom("orgs").selectAll().orderBy("id").execute();
  }
  /** A vendor organisation and its clients. */
  listTenancy(vendorOrgId) {
    return this.db.selectFrom("orgs").selectAll().where((eb) => eb.or([eb("id", "=", vendorOrgId), eb("vendor_org_id", "=", vendorOrgId)])).orderBy("id").execute();
  }
  async count() {
    const row = await this.db.selectFrom("orgs").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }
};

// src/server/repositories/project.repository.ts
import { sql as sql8 } from "kysely";

// src/server/services/ttl-cache.ts
var TtlCache = class {
  constructor(ttlMs, maxEntries = 1e4) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }
  ttlMs;
  maxEntries;
  entries = /* @__PURE__ */ new Map();
  async get(key, load, now = Date.now()) {
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: now + this.ttlMs });
    return value;
  }
  delete(key) {
    this.entries.delete(key);
  }
  clear() {
    this.entries.clear();
  }
};

// src/server/repositories/project.repository.ts
var PROJECT_TTL_MS = 1e3;
var ProjectRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  cache = new TtlCache(PROJECT_TTL_MS);
  /** `get`, served from a one-second cache: for the work loop's hot path. */
  getCached(id2) {
    return this.cache.get(id2, () => this.get(id2));
  }
  create(values) {
    return this.db.insertInto("projects").values(values).returningAll().executeTakeFirstOrThrow();
  }
  get(id2) {
    return this.db.selectFrom("projects").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  /** Projects visible to an organisation: owned by it, or made for it as a client. */
  listForOrg(orgId, asClient) {
    return this.db.selectFrom("projects").selectAll().where(asClient ? "client_org_id" : "org_id", "=", orgId).orderBy("id", "desc").execute();
  }
  update(id2, values) {
    this.cache.delete(id2);
    return this.db.updateTable("projects").set(values).where("id", "=", id2).returningAll().executeTakeFirstOrThrow();
  }
  /** Item counts for progress bars, for many projects in one grouped pass. */
  async progressMany(projectIds) {
    const out = /* @__PURE__ */ new Map();
    for (const id2 of projectIds) out.set(id2, { items: 0, submissions: 0, itemsFullyClaimed: 0, gold: 0 });
    if (projectIds.length === 0) return out;
    const rows4 = await this.db.selectFrom("items").select((eb) => [
      "project_id",
      eb.fn.countAll().as("items"),
      eb.fn.sum("submitted").as("submissions"),
      eb.fn.sum(sql8`case when ${eb.ref("open")} = 0 and ${eb.ref("is_gold")} = 0 then 1 else 0 end`).as("full"),
      eb.fn.sum("is_gold").as("gold")
    ]).where("project_id", "in", projectIds).groupBy("project_id").execute();
    for (const r of rows4) {
      out.set(r.project_id, {
        items: Number(r.items),
        submissions: Number(r.submissions ?? 0),
        itemsFullyClaimed: Number(r.full ?? 0),
        gold: Number(r.gold ?? 0)
      });
    }
    return out;
  }
  async progress(projectId) {
    return (await this.progressMany([projectId])).get(projectId);
  }
  /** After the overlap changes, every item's open flag follows it. */
  reopenItems(projectId, overlap) {
    return this.db.updateTable("items").set({ open: sql8`case when claimed < ${overlap} + extra_overlap then 1 else 0 end` }).where("project_id", "=", projectId).execute();
  }
};

// src/server/repositories/user.repository.ts
var publicUserColumns = [
  "users.id",
  "users.org_id",
  "users.username",
  "users.display_name",
  "users.role",
  "users.locale",
  "users.disabled",
  "users.county",
  "users.township",
  "users.village",
  "users.must_change_password",
  "users.created_at"
];
var UserRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  create(values) {
    return this.db.insertInto("users").values(values).returning(publicUserColumns).executeTakeFirstOrThrow();
  }
  findByUsername(username) {
    return this.db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
  }
  get(id2) {
    return this.db.selectFrom("users").select(publicUserColumns).where("id", "=", id2).executeTakeFirst();
  }
  /** Users of a vendor organisation and of its client organisations. */
  listByTenancy(vendorOrgId) {
    return this.db.selectFrom("users").innerJoin("orgs", "orgs.id", "users.org_id").select(publicUserColumns).where((eb) => eb.or([eb("orgs.id", "=", vendorOrgId), eb("orgs.vendor_org_id", "=", vendorOrgId)])).orderBy("users.id").execute();
  }
  // --- sessions -------------------------------------------------------------
  createSession(id2, userId, now, expiresAt) {
    return this.db.insertInto("sessions").values({ id: id2, user_id: userId, created_at: now, expires_at: expiresAt }).execute();
  }
  /** The user behind a live session, or undefined. */
  findBySession(sessionId, now) {
    return this.db.selectFrom("sessions").innerJoin("users", "users.id", "sessions.user_id").select(publicUserColumns).where("sessions.id", "=", sessionId).where("sessions.expires_at", ">", now).where("users.disabled", "=", 0).executeTakeFirst();
  }
  deleteSession(sessionId) {
    return this.db.deleteFrom("sessions").where("id", "=", sessionId).execute();
  }
  deleteExpiredSessions(now) {
    return this.db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
  }
  // --- login rate limit (the password login itself uses LoginFailureRepository) ---
  recordLoginFailure(username, ip, now) {
    return this.db.insertInto("login_failures").values({ username, ip, at: now }).execute();
  }
  async countLoginFailures(username, ip, since) {
    const row = await this.db.selectFrom("login_failures").select((eb) => eb.fn.countAll().as("n")).where("username", "=", username).where("ip", "=", ip).where("at", ">", since).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  clearLoginFailures(username, ip) {
    return this.db.deleteFrom("login_failures").where("username", "=", username).where("ip", "=", ip).execute();
  }
  /** Whether `code` is on the editable household status list and in use. */
  async isActiveHousehold(code) {
    const row = await this.db.selectFrom("household_statuses").select("active").where("code", "=", code).executeTakeFirst();
    return row?.active === 1;
  }
  /** The user's unused one-time code if it has run out (a reset's code is her password until she sets one). */
  expiredOneTimeCode(userId, now) {
    return this.db.selectFrom("one_time_codes").select("expires_at").where("user_id", "=", userId).where("used_at", "is", null).where("expires_at", "<=", now).executeTakeFirst();
  }
};

// src/server/repositories/token.repository.ts
var tokenColumns = ["id", "name", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"];
var TokenRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  create(values) {
    return this.db.insertInto("api_tokens").values({
      user_id: values.userId,
      token_hash: values.tokenHash,
      name: values.name,
      scope: values.scope,
      created_at: values.now,
      expires_at: values.expiresAt
    }).returning(tokenColumns).executeTakeFirstOrThrow();
  }
  /** The user behind a live token, with the token's id, scope and last use; undefined otherwise. */
  findLive(tokenHash, now) {
    return this.db.selectFrom("api_tokens").innerJoin("users", "users.id", "api_tokens.user_id").select(publicUserColumns).select([
      "api_tokens.id as token_id",
      "api_tokens.scope as token_scope",
      "api_tokens.last_used_at as token_last_used_at"
    ]).where("api_tokens.token_hash", "=", tokenHash).where("api_tokens.revoked_at", "is", null).where((eb) => eb.or([eb("api_tokens.expires_at", "is", null), eb("api_tokens.expires_at", ">", now)])).where("users.disabled", "=", 0).executeTakeFirst();
  }
  touch(id2, now) {
    return this.db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", id2).execute();
  }
  listByUser(userId) {
    return this.db.selectFrom("api_tokens").select(tokenColumns).where("user_id", "=", userId).orderBy("id").execute();
  }
  getOfUser(id2, userId) {
    return this.db.selectFrom("api_tokens").select(tokenColumns).where("id", "=", id2).where("user_id", "=", userId).executeTakeFirst();
  }
  /** Revokes a live token of the user; an already revoked one keeps its first revocation time. */
  revoke(id2, userId, now) {
    return this.db.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", id2).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
  }
};

// src/server/repositories/login-failure.repository.ts
var LoginFailureRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** Records an attempt as failed before its password is checked; returns its id. */
  async record(username, ip, now) {
    const row = await this.db.insertInto("login_failures").values({ username, ip, at: now }).returning("id").executeTakeFirstOrThrow();
    return row.id;
  }
  /** Failures since `since`: of this name from this address, from this address, and of this name. */
  async count(username, ip, since) {
    const n = (q) => q.then((r) => Number(r.n));
    const base = () => this.db.selectFrom("login_failures").select((eb) => eb.fn.countAll().as("n")).where("at", ">", since);
    const [pair, address, name] = await Promise.all([
      n(base().where("username", "=", username).where("ip", "=", ip).executeTakeFirstOrThrow()),
      n(base().where("ip", "=", ip).executeTakeFirstOrThrow()),
      n(base().where("username", "=", username).executeTakeFirstOrThrow())
    ]);
    return { pair, address, name };
  }
  forget(id2) {
    return this.db.deleteFrom("login_failures").where("id", "=", id2).execute();
  }
  /** Failures older than the window count for nothing. */
  prune(before) {
    return this.db.deleteFrom("login_failures").where("at", "<=", before).execute();
  }
  /** After a successful login: this name's failures from this address no longer count. */
  clear(username, ip) {
    return this.db.deleteFrom("login_failures").where("username", "=", username).where("ip", "=", ip).execute();
  }
};

// src/server/errors.ts
var AppError = class extends Error {
  constructor(status, id2, message, details) {
    super(message);
    this.status = status;
    this.id = id2;
    this.details = details;
    this.name = "AppError";
  }
  status;
  id;
  details;
};
var badRequest = (id2, message, details) => new AppError(400, id2, message, details);
var unauthorized = (message = "Please log in.") => new AppError(401, "unauthorized", message);
var forbidden = (id2, message) => new AppError(403, id2, message);
var notFound = (what) => new AppError(404, `${what}_not_found`, `No such ${what.replace(/_/g, " ")}.`);
var conflict = (id2, message, details) => new AppError(409, id2, message, details);
var tooLarge = (id2, message) => new AppError(413, id2, message);
var unsupportedMedia = (id2, message) => new AppError(415, id2, message);
var tooManyRequests = (id2, message) => new AppError(429, id2, message);

// src/server/services/access.ts
function requireRole(actor, ...roles) {
  if (!roles.includes(actor.role)) {
    throw forbidden("role_not_allowed", `This needs one of these roles: ${roles.join(", ")}.`);
  }
}
var STAFF_READERS = ["admin", "manager", "reviewer"];
function isStaffOf(actor, project) {
  return project.org_id === actor.org_id && STAFF_READERS.includes(actor.role);
}
function isClientOf(actor, project) {
  return actor.role === "client" && project.client_org_id === actor.org_id;
}
function assertCanView(actor, project, what = "project") {
  if (actor.role === "worker") throw forbidden("role_not_allowed", "Workers see projects through their work only.");
  if (!project || !isStaffOf(actor, project) && !isClientOf(actor, project)) throw notFound(what);
}
function assertCanManage(actor, project, what = "project") {
  assertCanView(actor, project, what);
  if (!["admin", "manager"].includes(actor.role)) {
    throw forbidden("role_not_allowed", "Only managers can change a project.");
  }
}
function assertCanUpload(actor, project) {
  assertCanView(actor, project);
  if (!["admin", "manager", "client"].includes(actor.role)) {
    throw forbidden("role_not_allowed", "Only managers and the client can add images.");
  }
}
function assertCanWork(actor, project) {
  if (actor.role !== "worker") throw forbidden("role_not_allowed", "Only workers take items.");
  if (!project || project.org_id !== actor.org_id) throw notFound("project");
  if (project.status !== "active") throw forbidden("project_not_active", "This project is not taking work now.");
}
function tenancyOf(actor) {
  requireRole(actor, "admin", "manager");
  return actor.org_id;
}
function inTenancy(actor, org) {
  return org.id === actor.org_id || org.kind === "client" && org.vendor_org_id === actor.org_id;
}
function assertCanCreateOrg(actor, kind) {
  requireRole(actor, "admin");
  if (kind !== "client") {
    throw forbidden(
      "vendor_org_by_operator",
      "A vendor organisation is a tenancy of its own; the server operator creates it with `shugu orgs add`."
    );
  }
  return actor.org_id;
}
function assertCanAddUser(actor, org, role) {
  requireRole(actor, "admin", "manager");
  if (!org || !inTenancy(actor, org)) throw notFound("org");
  if (actor.role === "manager") {
    const ownOrgRole = org.id === actor.org_id && ["worker", "reviewer"].includes(role);
    const clientUser = org.kind === "client" && role === "client";
    if (!ownOrgRole && !clientUser) {
      throw forbidden("role_not_allowed", "Managers create workers and reviewers, and client users.");
    }
  }
  assertRoleFitsOrg(org, role);
}
function assertRoleFitsOrg(org, role) {
  if (org.kind === "client" !== (role === "client")) {
    throw badRequest("role_org_mismatch", "Client users belong to client organisations, and only they do.");
  }
}
function assertOwnClient(actor, org) {
  if (!org || org.kind !== "client" || org.vendor_org_id !== actor.org_id) {
    throw badRequest("invalid_client_org", "The client organisation does not exist.");
  }
}
function imageHoldersOf(project) {
  return project.client_org_id === null ? [project.org_id] : [project.org_id, project.client_org_id];
}
function imageNamerOf(actor) {
  return actor ? actor.org_id : null;
}

// src/server/services/auth.service.ts
import { createHash as createHash2, randomBytes } from "node:crypto";
import argon2 from "argon2";

// src/server/services/address-key.ts
import net2 from "node:net";
function ipv6Groups(ip) {
  let s = ip.split("%")[0];
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number);
    s = `${dotted[1]}${(a << 8 | b).toString(16)}:${(c << 8 | d).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return void 0;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return void 0;
  const groups = [...head, ...Array(fill).fill("0"), ...tail].map((h) => parseInt(h, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 65535) ? groups : void 0;
}
function addressKey(ip) {
  if (!net2.isIPv6(ip)) return ip;
  const g = ipv6Groups(ip);
  if (!g) return ip;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 65535) {
    return `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(":")}::/64`;
}

// src/server/services/auth.service.ts
var ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
var hashPassword = (password) => argon2.hash(password, ARGON2);
var sha2562 = (s) => createHash2("sha256").update(s).digest("hex");
var newToken = () => randomBytes(32).toString("base64url");
var dummyHash;
var SESSION_TTL_MS = 2e3;
var TOKEN_TOUCH_MS = 6e4;
var PRUNE_EVERY_MS = 6e4;
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
var AuthService = class {
  constructor(users, config, clock, tokens, failures) {
    this.users = users;
    this.config = config;
    this.clock = clock;
    this.tokens = tokens;
    this.failures = failures;
  }
  users;
  config;
  clock;
  tokens;
  failures;
  sessions = new TtlCache(SESSION_TTL_MS);
  prunedAt = 0;
  /**
   * Checks a password and opens a session. Failures are counted in the database, so
   * the limits hold across server processes, under three keys (docs/security.md):
   * this name from this address and this address across names are limited; this
   * name across all addresses is only slowed down, so that nobody can lock a user
   * out from addresses that are not the user's. `ip` is the client address as the
   * app derives it (the socket's, or a trusted proxy's report of it).
   */
  async login(username, password, ip) {
    const now = this.clock.now();
    const since = now - this.config.loginWindowSeconds * 1e3;
    const address = addressKey(ip);
    await this.pruneFailures(now, since);
    const attempt = await this.failures.record(username, address, now);
    const seen = await this.failures.count(username, address, since);
    if (seen.pair > this.config.loginMaxFailures || seen.address > this.config.loginMaxFailuresPerAddress) {
      await this.failures.forget(attempt);
      throw tooManyRequests("login_rate_limited", "Too many failed logins. Wait a few minutes and try again.");
    }
    if (seen.name > this.config.loginSlowdownAfter) await sleep(this.config.loginSlowdownMs);
    const user = await this.users.findByUsername(username);
    dummyHash ??= hashPassword(newToken());
    const ok = await argon2.verify(user?.password_hash ?? await dummyHash, password);
    if (!user || !ok || user.disabled) throw unauthorized("Wrong user name or password.");
    if (user.must_change_password && await this.users.expiredOneTimeCode(user.id, now)) {
      throw new AppError(
        401,
        "one_time_code_expired",
        "This one-time code has expired; ask your manager for a new one."
      );
    }
    await this.failures.clear(username, address);
    const token = newToken();
    await this.users.createSession(sha2562(token), user.id, now, now + this.config.sessionDays * 864e5);
    const publicUser = await this.users.get(user.id);
    return { token, user: publicUser };
  }
  async pruneFailures(now, since) {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.failures.prune(since);
  }
  logout(token) {
    this.sessions.delete(sha2562(token));
    return this.users.deleteSession(sha2562(token));
  }
  /**
   * The actor behind a bearer token or a session cookie, with the credential used. A
   * request that names a bearer token is judged by the token alone.
   */
  async authenticate(sessionToken, bearer) {
    const now = this.clock.now();
    if (bearer) {
      const row = await this.tokens.findLive(sha2562(bearer), now);
      if (!row) return void 0;
      const { token_id, token_scope, token_last_used_at, ...actor } = row;
      if (token_last_used_at === null || now - token_last_used_at >= TOKEN_TOUCH_MS) {
        await this.tokens.touch(token_id, now);
      }
      return { actor, credential: { kind: "token", tokenId: token_id, scope: token_scope } };
    }
    if (sessionToken) {
      const id2 = sha2562(sessionToken);
      const actor = await this.sessions.get(id2, () => this.users.findBySession(id2, now), now);
      return actor ? { actor, credential: { kind: "session" } } : void 0;
    }
    return void 0;
  }
};

// src/server/services/token.service.ts
var iso = (ms) => ms === null ? null : new Date(ms).toISOString();
function present(row) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at)
  };
}
var TokenService = class {
  constructor(tokens, clock) {
    this.tokens = tokens;
    this.clock = clock;
  }
  tokens;
  clock;
  /** A new token for the calling user, returned with its secret this once. */
  async create(actor, credential, body) {
    requireRole(actor, "client", "admin", "manager");
    if (credential.kind === "token") {
      throw forbidden("token_cannot_mint", "A token cannot create tokens; sign in to make one.");
    }
    const name = body.name.trim();
    if (!name) throw badRequest("invalid_token_name", "A token needs a name.");
    const now = this.clock.now();
    let expiresAt = null;
    if (body.expiresInDays !== void 0) expiresAt = now + body.expiresInDays * 864e5;
    if (body.expiresAt !== void 0) {
      expiresAt = Date.parse(body.expiresAt);
      if (!(expiresAt > now)) throw badRequest("token_expiry_past", "A token must expire in the future.");
    }
    const token = `shg_${newToken()}`;
    const row = await this.tokens.create({
      userId: actor.id,
      tokenHash: sha2562(token),
      name,
      scope: body.scope,
      now,
      expiresAt
    });
    return { ...present(row), token };
  }
  /** The caller's own tokens, revoked and expired ones included. */
  async list(actor) {
    return (await this.tokens.listByUser(actor.id)).map(present);
  }
  /** Revokes one of the caller's tokens. Another user's token answers like a missing one. */
  async revoke(actor, id2) {
    const existing = await this.tokens.getOfUser(id2, actor.id);
    if (!existing) throw notFound("token");
    await this.tokens.revoke(id2, actor.id, this.clock.now());
    return present(await this.tokens.getOfUser(id2, actor.id));
  }
};

// src/server/services/clock.ts
var systemClock = { now: () => Date.now() };
function utcDayStart(ms) {
  return ms - ms % 864e5;
}

// src/core/api/export-options.ts
var EXPORT_MODES = ["final", "accepted", "all"];
var DEFAULT_EXPORT_OPTIONS = { mode: "final", unfinished: "omit", includeGold: false };

// src/core/annotation.ts
import { z as z3 } from "zod";
var MAX_INSTANCES = 200;
var coord = z3.number().finite();
var pointSchema = z3.tuple([coord, coord, z3.union([z3.literal(0), z3.literal(1), z3.literal(2)])]);
var boxSchema = z3.tuple([coord, coord, coord.nonnegative(), coord.nonnegative()]);
var instanceSchema = z3.object({
  bbox: boxSchema.nullable(),
  points: z3.array(pointSchema).max(512),
  /** Per-instance categorical attributes, e.g. `{ glasses: 'yes' }`. */
  attributes: z3.record(z3.string().max(64), z3.string().max(256)).optional()
});
var annotationDataSchema = z3.object({
  instances: z3.array(instanceSchema).max(MAX_INSTANCES)
});
function checkAnnotation(template, width, height, data, maxInstances = MAX_INSTANCES) {
  const problems = [];
  if (data.instances.length > maxInstances) {
    problems.push({
      code: "too_many_instances",
      path: ["instances"],
      message: `at most ${maxInstances} instances per image, got ${data.instances.length}`
    });
  }
  const inside = (x, y) => x >= 0 && y >= 0 && x <= width && y <= height;
  data.instances.forEach((inst, i) => {
    if (inst.points.length !== template.points.length) {
      problems.push({
        code: "wrong_point_count",
        path: ["instances", i, "points"],
        message: `instance ${i} has ${inst.points.length} points, the template has ${template.points.length}`
      });
    }
    inst.points.forEach(([x, y, v], j) => {
      if (v !== 0 && !inside(x, y)) {
        problems.push({
          code: "point_out_of_bounds",
          path: ["instances", i, "points", j],
          message: `point ${j} of instance ${i} at (${x}, ${y}) lies outside the ${width}\xD7${height} image`
        });
      }
    });
    if (inst.bbox) {
      const [bx, by, bw, bh] = inst.bbox;
      if (!inside(bx, by) || !inside(bx + bw, by + bh)) {
        problems.push({
          code: "box_out_of_bounds",
          path: ["instances", i, "bbox"],
          message: `the box of instance ${i} lies outside the ${width}\xD7${height} image`
        });
      }
    }
  });
  return problems;
}
function boxOfPoints(points) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y, v] of points) {
    if (v === 0) continue;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return x0 === Infinity ? null : [x0, y0, x1 - x0, y1 - y0];
}

// src/core/coco.ts
function extraFields(e) {
  const out = {};
  if (e.workerId !== void 0) out.shugu_worker_id = e.workerId;
  if (e.annotationId !== void 0) out.shugu_annotation_id = e.annotationId;
  if (e.status !== void 0) out.shugu_status = e.status;
  if (e.rejectedBy !== void 0) out.shugu_rejected_by = e.rejectedBy;
  if (e.rejectReason) out.shugu_reject_reason = e.rejectReason;
  if (e.createdAt !== void 0) out.shugu_created_at = e.createdAt;
  if (e.goldReference) out.shugu_gold_reference = true;
  return out;
}
function cocoCategory(template, id2 = 1) {
  return {
    id: id2,
    name: template.kind === "custom" ? template.id : template.kind === "body" ? "person" : template.kind,
    supercategory: template.kind === "body" ? "person" : template.kind,
    keypoints: template.points.map((p) => p.id),
    skeleton: template.skeleton.map(([a, b]) => [a + 1, b + 1])
  };
}
var round2 = (v) => Math.round(v * 100) / 100;
function cocoAnnotationsJson(data, imageId, nextId, extras, leadingComma, categoryId = 1) {
  if (data.instances.length === 0) return "";
  const more = JSON.stringify(extraFields(extras)).slice(1, -1);
  const tail = more ? `,${more}}` : "}";
  let out = "";
  let first = !leadingComma;
  for (const inst of data.instances) {
    let kp = "";
    let labelled = 0;
    for (let i = 0; i < inst.points.length; i++) {
      const [x, y, v] = inst.points[i];
      if (i > 0) kp += ",";
      if (v === 0) kp += "0,0,0";
      else {
        kp += `${round2(x)},${round2(y)},${v}`;
        labelled++;
      }
    }
    const box = inst.bbox ?? boxOfPoints(inst.points) ?? [0, 0, 0, 0];
    const b0 = round2(box[0]);
    const b1 = round2(box[1]);
    const b2 = round2(box[2]);
    const b3 = round2(box[3]);
    out += `${first ? "" : ","}{"id":${nextId()},"image_id":${imageId},"category_id":${categoryId},"keypoints":[${kp}],"num_keypoints":${labelled},"bbox":[${b0},${b1},${b2},${b3}],"area":${round2(b2 * b3)},"iscrowd":0`;
    if (inst.attributes && Object.keys(inst.attributes).length > 0)
      out += `,"attributes":${JSON.stringify(inst.attributes)}`;
    out += tail;
    first = false;
  }
  return out;
}

// src/core/quality/thresholds.ts
var DEFAULT_THRESHOLDS = { warnBelow: 0.75, suspendBelow: 0.6 };
function thresholdsProblem(warnBelow, suspendBelow) {
  if (suspendBelow <= warnBelow) return null;
  const pct = (x) => `${Math.round(x * 1e3) / 10} %`;
  return `Workers would be suspended below ${pct(suspendBelow)} accuracy but warned only below ${pct(warnBelow)}: the suspension threshold must not be above the warning threshold.`;
}

// src/server/services/project.service.ts
function projectView(p) {
  return {
    id: p.id,
    orgId: p.org_id,
    clientOrgId: p.client_org_id,
    name: p.name,
    template: JSON.parse(p.template),
    instructions: p.instructions,
    overlap: p.overlap,
    leaseSeconds: p.lease_seconds,
    pieceRateFen: p.piece_rate_fen,
    maxInstances: p.max_instances,
    status: p.status,
    quality: {
      goldRate: p.gold_rate,
      warnBelow: p.warn_below,
      suspendBelow: p.suspend_below,
      minGold: p.min_gold,
      reviewRate: p.review_rate,
      agreementThreshold: p.agreement_threshold,
      lowAgreementAction: p.low_agreement_action,
      consensusMethod: p.consensus_method
    },
    createdAt: new Date(p.created_at).toISOString()
  };
}
function qualityColumns(b) {
  return {
    gold_rate: b.goldRate,
    warn_below: b.warnBelow,
    suspend_below: b.suspendBelow,
    min_gold: b.minGold,
    review_rate: b.reviewRate,
    agreement_threshold: b.agreementThreshold,
    low_agreement_action: b.lowAgreementAction,
    consensus_method: b.consensusMethod
  };
}
function assertThresholds(warnBelow, suspendBelow) {
  const problem = thresholdsProblem(warnBelow, suspendBelow);
  if (problem) throw badRequest("thresholds_contradict", problem, { warnBelow, suspendBelow });
}
var templateCache = /* @__PURE__ */ new Map();
function templateOf(p) {
  let t = templateCache.get(p.template);
  if (!t) {
    if (templateCache.size > 100) templateCache.clear();
    t = JSON.parse(p.template);
    templateCache.set(p.template, t);
  }
  return t;
}
var ProjectService = class {
  constructor(projects, orgs, items, annotations, clock, membership) {
    this.projects = projects;
    this.orgs = orgs;
    this.items = items;
    this.annotations = annotations;
    this.clock = clock;
    this.membership = membership;
  }
  projects;
  orgs;
  items;
  annotations;
  clock;
  membership;
  async create(actor, body) {
    requireRole(actor, "admin", "manager");
    assertThresholds(
      body.warnBelow ?? DEFAULT_THRESHOLDS.warnBelow,
      body.suspendBelow ?? DEFAULT_THRESHOLDS.suspendBelow
    );
    const template = body.template ?? getBuiltinTemplate(body.templateId ?? "");
    if (!template) throw badRequest("unknown_template", `There is no built-in template ${body.templateId}.`);
    if (body.clientOrgId) assertOwnClient(actor, await this.orgs.get(body.clientOrgId));
    const row = await this.projects.create({
      org_id: actor.org_id,
      client_org_id: body.clientOrgId ?? null,
      name: body.name,
      template: JSON.stringify(template),
      instructions: body.instructions,
      overlap: body.overlap,
      lease_seconds: body.leaseSeconds,
      piece_rate_fen: body.pieceRateFen,
      max_instances: body.maxInstances,
      status: "active",
      created_by: actor.id,
      created_at: this.clock.now(),
      ...qualityColumns(body)
    });
    return projectView(row);
  }
  /** Projects the actor may see, each with its progress. */
  async list(actor) {
    const rows4 = actor.role === "client" ? await this.projects.listForOrg(actor.org_id, true) : await this.projects.listForOrg(actor.org_id, false);
    let visible = actor.role === "worker" ? rows4.filter((p) => p.status === "active") : rows4;
    if (actor.role === "worker" && this.membership) {
      const closed = await this.membership.closedTo(
        visible.map((p) => p.id),
        actor.id
      );
      visible = visible.filter((p) => !closed.has(p.id));
    }
    const progress = await this.projects.progressMany(visible.map((p) => p.id));
    return visible.map((p) => ({ ...projectView(p), progress: progress.get(p.id) }));
  }
  async get(actor, id2) {
    const p = await this.projects.get(id2);
    if (actor.role === "worker") {
      if (!p || p.org_id !== actor.org_id || p.status !== "active") throw notFound("project");
      return projectView(p);
    }
    assertCanView(actor, p);
    return { ...projectView(p), progress: await this.projects.progress(p.id) };
  }
  async update(actor, id2, patch) {
    const p = await this.projects.get(id2);
    assertCanManage(actor, p);
    if (Object.values(patch).every((v) => v === void 0)) {
      throw badRequest("empty_patch", "The change names no setting; send at least one field to change.");
    }
    assertThresholds(patch.warnBelow ?? p.warn_below, patch.suspendBelow ?? p.suspend_below);
    const row = await this.projects.update(id2, {
      name: patch.name,
      overlap: patch.overlap,
      lease_seconds: patch.leaseSeconds,
      piece_rate_fen: patch.pieceRateFen,
      max_instances: patch.maxInstances,
      instructions: patch.instructions,
      status: patch.status,
      ...qualityColumns(patch)
    });
    if (patch.overlap !== void 0 && patch.overlap !== p.overlap) await this.projects.reopenItems(id2, patch.overlap);
    return projectView(row);
  }
  async listItems(actor, projectId, after, limit) {
    assertCanView(actor, await this.projects.get(projectId));
    const rows4 = await this.items.page(projectId, after, limit);
    return {
      items: rows4.map((i) => ({
        id: i.id,
        name: i.name,
        width: i.width,
        height: i.height,
        submitted: i.submitted,
        meta: i.meta ? JSON.parse(i.meta) : null
      })),
      next: rows4.length === limit ? rows4[rows4.length - 1].id : null
    };
  }
  /** One item with every submission, for the manager's browser. */
  async getItem(actor, itemId) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanView(actor, project, "item");
    const subs = await this.annotations.listForItem(itemId);
    return {
      id: item.id,
      projectId: item.project_id,
      name: item.name,
      width: item.width,
      height: item.height,
      meta: item.meta ? JSON.parse(item.meta) : null,
      submissions: subs.map((s) => ({
        id: s.id,
        workerId: s.worker_id,
        worker: s.worker_username,
        data: JSON.parse(s.data),
        activeMs: s.active_ms,
        createdAt: new Date(s.created_at).toISOString()
      }))
    };
  }
  /** The item row behind an image request, after checking the actor may see it. */
  async itemForImage(actor, itemId) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanView(actor, project, "item");
    return item;
  }
  /**
   * An item and its project for the access check, which runs before the item is used:
   * a missing item has no project, so it answers exactly like another's item.
   */
  async itemAndProject(itemId) {
    const item = await this.items.get(itemId);
    return { item, project: item && await this.projects.get(item.project_id) };
  }
};

// src/server/services/export.service.ts
var PAGE = 200;
var ExportService = class {
  constructor(projects, rows4, clock) {
    this.projects = projects;
    this.rows = rows4;
    this.clock = clock;
  }
  projects;
  rows;
  clock;
  /**
   * Checks access, then returns the file's chunks. Anyone who may see the project
   * gets `final` and `accepted`; the audit (`all`) is for the base's staff, and gold
   * references for its managers. The command line (`actor` null) may do everything.
   */
  async coco(actor, projectId, options = DEFAULT_EXPORT_OPTIONS) {
    const project = await this.projects.get(projectId);
    if (actor) assertCanExport(actor, project, options);
    else if (!project) throw notFound("project");
    const suffix = options.mode === "final" ? "" : `-${options.mode}`;
    const filename = `shugu-project-${projectId}-coco${suffix}.json`;
    return { filename, chunks: this.cocoChunks(project, options) };
  }
  async *cocoChunks(project, options) {
    const { mode: mode2, includeGold } = options;
    const template = templateOf(project);
    const info = {
      description: project.name,
      version: "1.0",
      date_created: new Date(this.clock.now()).toISOString(),
      contributor: "Shugu",
      shugu_project_id: project.id,
      shugu_template: template.id,
      // What this file holds; `all` lists every item whatever `unfinished` says.
      shugu: { mode: mode2, unfinished: mode2 === "all" ? "listed" : options.unfinished, includeGold }
    };
    yield `{"info":${JSON.stringify(info)},"licenses":[],"categories":[${JSON.stringify(cocoCategory(template))}],"images":[`;
    yield* this.images(project, options);
    yield '],"annotations":[';
    const state = { first: true, id: 0 };
    if (mode2 === "final") yield* this.finalAnnotations(project, state);
    else yield* this.answerAnnotations(project, mode2, state);
    if (includeGold) yield* this.goldAnnotations(project, state);
    yield "]}\n";
  }
  async *images(project, options) {
    const filter = {
      all: options.mode === "all",
      unfinished: options.unfinished === "empty",
      gold: options.includeGold
    };
    let first = true;
    for (let after = 0; ; ) {
      const rows4 = await this.rows.items(project.id, project.overlap, filter, after, PAGE);
      if (rows4.length === 0) break;
      let out = "";
      for (const r of rows4) {
        const image = { id: r.id, file_name: r.name, width: r.width, height: r.height };
        const mark = r.is_gold ? { shugu_gold: true } : { shugu_finished: r.finished };
        out += (first ? "" : ",") + JSON.stringify({ ...image, ...mark });
        first = false;
      }
      yield out;
      after = rows4[rows4.length - 1].id;
    }
  }
  async *finalAnnotations(project, state) {
    const nextId = () => ++state.id;
    for (let after = 0; ; ) {
      const rows4 = await this.rows.finalResults(project.id, project.overlap, after, PAGE);
      if (rows4.length === 0) break;
      let out = "";
      for (const r of rows4) out += this.encode(r.data, r.item_id, nextId, {}, state);
      yield out;
      after = rows4[rows4.length - 1].item_id;
    }
  }
  async *answerAnnotations(project, mode2, state) {
    const nextId = () => ++state.id;
    for (let after = 0; ; ) {
      const rows4 = await this.rows.answers(project.id, project.overlap, mode2, after, PAGE);
      if (rows4.length === 0) break;
      let out = "";
      for (const r of rows4) {
        const extras = { workerId: r.worker_id, annotationId: r.id };
        if (mode2 === "all") {
          extras.status = r.status;
          extras.createdAt = new Date(r.created_at).toISOString();
          if (r.status === "rejected") {
            const reason = r.reject_reason ?? null;
            extras.rejectedBy = reason ? "review" : "suspension";
            extras.rejectReason = reason;
          }
        }
        out += this.encode(r.data, r.item_id, nextId, extras, state);
      }
      yield out;
      after = rows4[rows4.length - 1].id;
    }
  }
  async *goldAnnotations(project, state) {
    const nextId = () => ++state.id;
    for (let after = 0; ; ) {
      const rows4 = await this.rows.goldReferences(project.id, after, PAGE);
      if (rows4.length === 0) break;
      let out = "";
      for (const r of rows4) out += this.encode(r.data, r.item_id, nextId, { goldReference: true }, state);
      yield out;
      after = rows4[rows4.length - 1].item_id;
    }
  }
  encode(data, imageId, nextId, extras, state) {
    const json = cocoAnnotationsJson(JSON.parse(data), imageId, nextId, extras, !state.first);
    if (json) state.first = false;
    return json;
  }
};
function assertCanExport(actor, project, options) {
  if (options.includeGold) assertCanManage(actor, project);
  else assertCanView(actor, project);
  if (options.mode === "all" && actor.role === "client") {
    throw forbidden("role_not_allowed", "The audit export (mode=all) is for the base\u2019s staff.");
  }
}

// src/server/services/image.service.ts
import fsp3 from "node:fs/promises";
import path6 from "node:path";

// src/core/api/primitives.ts
import { z as z4 } from "zod";
var MAX_ID = 2147483647;
var id = z4.number().int().min(1).max(MAX_ID);
var idString = z4.coerce.number().int().min(1).max(MAX_ID);
var cursor = z4.coerce.number().int().min(0).max(MAX_ID);
var idParam = z4.object({ id: idString });
var LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function isCleanText(s) {
  return !s.includes("\0") && !LONE_SURROGATE.test(s);
}
var CLEAN = { message: "must not hold NUL characters or broken Unicode" };
function text(max, min = 1) {
  return z4.string().trim().min(min).max(max).refine(isCleanText, CLEAN);
}
function rawText(max, min = 1) {
  return z4.string().min(min).max(max).refine(isCleanText, CLEAN);
}

// src/server/db/tx.ts
import { sql as sql9 } from "kysely";
async function withTx(db, fn) {
  if (dialectOf(db) === "postgres") return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql9`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql9`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql9`rollback`.execute(conn);
      throw err;
    }
  });
}
function isUniqueViolation(err) {
  const e = err;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

// src/server/storage/blob-store.ts
import { createHash as createHash3 } from "node:crypto";
import fs4 from "node:fs";
import fsp2 from "node:fs/promises";
import path4 from "node:path";
var BlobStore = class {
  constructor(root) {
    this.root = root;
    fs4.mkdirSync(path4.join(root, "tmp"), { recursive: true });
  }
  root;
  pathOf(sha2563) {
    return path4.join(this.root, sha2563.slice(0, 2), sha2563.slice(2, 4), sha2563);
  }
  previewPathOf(sha2563) {
    return path4.join(this.root, "previews", sha2563.slice(0, 2), `${sha2563}.jpg`);
  }
  /** A fresh staging folder inside the store, so that final renames stay on one device. */
  async stagingDir() {
    return fsp2.mkdtemp(path4.join(this.root, "tmp", "up-"));
  }
  async has(sha2563) {
    return fsp2.access(this.pathOf(sha2563)).then(
      () => true,
      () => false
    );
  }
  /**
   * Moves a staged file into place. Returns false when the blob was already there
   * (the staged copy is dropped), true when this call created it.
   */
  async adopt(stagedFile, sha2563) {
    const dest = this.pathOf(sha2563);
    if (await this.has(sha2563)) {
      await fsp2.rm(stagedFile, { force: true });
      return false;
    }
    await fsp2.mkdir(path4.dirname(dest), { recursive: true });
    await fsp2.rename(stagedFile, dest);
    return true;
  }
  async adoptPreview(stagedFile, sha2563) {
    const dest = this.previewPathOf(sha2563);
    await fsp2.mkdir(path4.dirname(dest), { recursive: true });
    await fsp2.rename(stagedFile, dest);
  }
  /** Removes blobs this request created, when the request fails after adopting them. */
  async remove(sha2563) {
    await fsp2.rm(this.pathOf(sha2563), { force: true });
    await fsp2.rm(this.previewPathOf(sha2563), { force: true });
  }
};
async function sha256File(file) {
  const hash = createHash3("sha256");
  for await (const chunk of fs4.createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

// src/server/storage/image-probe.ts
import sharp from "sharp";
var MIME = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };
var PREVIEW_SIDE = 1024;
async function probeImage(file, name, maxPixels, previewOut) {
  let meta;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw unsupportedMedia("not_an_image", `${name} is not an image Shugu can read (JPEG, PNG or WebP).`);
  }
  const mime = meta.format ? MIME[meta.format] : void 0;
  if (!mime) {
    throw unsupportedMedia(
      "unsupported_image_type",
      `${name} is ${meta.format ?? "an unknown format"}; Shugu takes JPEG, PNG or WebP.`
    );
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw badRequest("image_corrupt", `${name} has no readable size.`);
  if (w * h > maxPixels) {
    throw tooLarge("image_too_many_pixels", `${name} is ${w}\xD7${h} pixels, over the limit of ${maxPixels} pixels.`);
  }
  const orientation = meta.orientation ?? 1;
  const rotated = orientation >= 5 && orientation <= 8;
  try {
    await sharp(file, { limitInputPixels: maxPixels, failOn: "warning" }).rotate().resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 78, mozjpeg: true }).toFile(previewOut);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest("image_corrupt", `${name} is damaged and cannot be decoded: ${err.message}`);
  }
  return { mime, width: rotated ? h : w, height: rotated ? w : h, orientation };
}

// src/server/storage/zip.ts
import fs5 from "node:fs";
import path5 from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
var MAX_ZIP_ENTRIES = 1e5;
var MAX_COMPRESSION_RATIO = 100;
var RATIO_FLOOR_BYTES = 1024 * 1024;
function isJunk(name) {
  const base = path5.posix.basename(name);
  return name.startsWith("__MACOSX/") || base.startsWith(".") || base === "Thumbs.db" || base === "desktop.ini";
}
function isUnsafeEntryName(name) {
  if (name.includes("\\") || name.includes("\0")) return true;
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return true;
  return name.split("/").some((seg) => seg === "..");
}
function openZip(file) {
  return new Promise(
    (resolve, reject) => yauzl.open(
      file,
      // autoClose off: every entry is read (and checked) before the first is extracted.
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => err ? reject(err) : resolve(zip)
    )
  );
}
function readEntries(zip) {
  const entries = [];
  return new Promise((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve(entries));
    zip.on("entry", (entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}
function byteCounter(check) {
  return new Transform({
    transform(chunk, _enc, done) {
      const err = check(chunk.length);
      if (err) done(err);
      else done(null, chunk);
    }
  });
}
async function unzipTo(archive, archiveName, outDir, options) {
  const { maxTotalBytes, maxEntryBytes } = options;
  let zip;
  try {
    zip = await openZip(archive);
  } catch (err) {
    throw mapZipError(err, archiveName);
  }
  const skipped = [];
  const files = [];
  const outs = [];
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) {
      throw tooLarge("zip_too_many_entries", `${archiveName} holds more than ${MAX_ZIP_ENTRIES} entries.`);
    }
    const entries = await readEntries(zip);
    const wanted = [];
    let declared = 0;
    for (const entry of entries) {
      const name = entry.fileName;
      if (isUnsafeEntryName(name)) {
        throw badRequest("zip_unsafe_path", `${archiveName} holds an entry that leaves its folder: ${name}`);
      }
      const mode2 = entry.externalFileAttributes >>> 16 & 61440;
      if (mode2 === 40960) throw badRequest("zip_unsafe_path", `${archiveName} holds a symbolic link: ${name}`);
      if (name.endsWith("/")) {
        skipped.push({ archive: archiveName, name, reason: "folder" });
        continue;
      }
      const size = entry.uncompressedSize;
      const reason = isJunk(name) ? "system_file" : options.skip?.(name);
      if (!reason) {
        declared += size;
        if (declared > maxTotalBytes) {
          throw tooLarge("zip_too_large", `${archiveName} unpacks to more than ${maxTotalBytes} bytes.`);
        }
      }
      if (size > maxEntryBytes) {
        throw tooLarge(
          "zip_entry_too_large",
          `${name} in ${archiveName} unpacks to ${size} bytes; one file may have at most ${maxEntryBytes}.`
        );
      }
      if (size > RATIO_FLOOR_BYTES && size > MAX_COMPRESSION_RATIO * Math.max(entry.compressedSize, 1)) {
        throw tooLarge(
          "zip_compression_ratio",
          `${name} in ${archiveName} is compressed more than ${MAX_COMPRESSION_RATIO}:1, as zip bombs are; refused.`
        );
      }
      if (reason) {
        skipped.push({ archive: archiveName, name, reason });
        continue;
      }
      wanted.push(entry);
    }
    const archiveBytes = (await fs5.promises.stat(archive)).size;
    if (declared > RATIO_FLOOR_BYTES && declared > MAX_COMPRESSION_RATIO * archiveBytes) {
      throw tooLarge(
        "zip_compression_ratio",
        `${archiveName} unpacks to more than ${MAX_COMPRESSION_RATIO} times its size, as zip bombs do; refused.`
      );
    }
    let written = 0;
    for (const entry of wanted) {
      const out = path5.join(outDir, `z${files.length}`);
      outs.push(out);
      const stream = await new Promise(
        (res, rej) => zip.openReadStream(entry, (err, s) => err ? rej(err) : res(s))
      );
      let seen = 0;
      const counter = byteCounter((n) => {
        seen += n;
        written += n;
        if (seen > entry.uncompressedSize) {
          return badRequest("zip_corrupt", `${entry.fileName} in ${archiveName} is larger than its header says.`);
        }
        if (written > maxTotalBytes) {
          return tooLarge("zip_too_large", `${archiveName} unpacks to more than ${maxTotalBytes} bytes.`);
        }
        return void 0;
      });
      await pipeline(stream, counter, fs5.createWriteStream(out));
      files.push({ name: entry.fileName, file: out });
    }
    return { files, skipped, bytes: written };
  } catch (err) {
    await Promise.all(outs.map((f) => fs5.promises.rm(f, { force: true })));
    throw mapZipError(err, archiveName);
  } finally {
    zip.close();
  }
}
function mapZipError(err, archiveName) {
  if (err instanceof AppError) return err;
  const message = err?.message ?? String(err);
  if (/invalid relative path|absolute path/i.test(message)) {
    return badRequest("zip_unsafe_path", `${archiveName} holds an entry that leaves its folder.`);
  }
  return badRequest("zip_corrupt", `${archiveName} is not a readable zip archive: ${message}`);
}

// src/server/services/image.service.ts
var isZip = (name) => /\.zip$/i.test(name);
var IMAGE_EXT = /\.(jpe?g|png|webp|gif|tiff?|bmp|heic|heif|avif|svg)$/i;
var hasExtension = (name) => /\.[^./]+$/.test(path6.posix.basename(name));
var skipInZip = (name) => hasExtension(name) && !IMAGE_EXT.test(name) ? "not_an_image" : void 0;
var MAX_LISTED_SKIPS = 1e3;
var MAX_NAME_LENGTH = 1e3;
var ImageService = class {
  constructor(db, projects, items, blobs, store, config, clock) {
    this.db = db;
    this.projects = projects;
    this.items = items;
    this.blobs = blobs;
    this.store = store;
    this.config = config;
    this.clock = clock;
  }
  db;
  projects;
  items;
  blobs;
  store;
  config;
  clock;
  /**
   * Adds staged uploads (images and zip archives) to a project, all or nothing. Files
   * in an archive that are not images (folders, system files, documents) are skipped
   * and listed; an image that is damaged refuses the whole request.
   */
  async ingest(actor, projectId, staged, stagingDir) {
    assertCanUpload(actor, await this.projects.get(projectId));
    if (staged.length === 0) throw badRequest("no_files", "The upload held no files.");
    const files = [];
    const skipped = [];
    let zipBytesLeft = this.config.maxZipBytes;
    for (const s of staged) {
      if (s.name.length > MAX_NAME_LENGTH || !isCleanText(s.name)) {
        throw badRequest("invalid_file_name", "A file name is too long or holds NUL characters or broken Unicode.");
      }
      if (isZip(s.name)) {
        const dir = await fsp3.mkdtemp(path6.join(stagingDir, "zip-"));
        const r = await unzipTo(s.file, s.name, dir, {
          maxTotalBytes: zipBytesLeft,
          maxEntryBytes: this.config.maxUploadBytes,
          skip: skipInZip
        });
        zipBytesLeft -= r.bytes;
        files.push(...r.files.map((f) => ({ ...f, archive: s.name })));
        skipped.push(...r.skipped);
        await fsp3.rm(s.file, { force: true });
      } else {
        files.push(s);
      }
    }
    const checked = [];
    for (const f of files) {
      try {
        checked.push(await this.check(f));
      } catch (err) {
        if (f.archive && !hasExtension(f.name) && err instanceof AppError && err.id === "not_an_image") {
          skipped.push({ archive: f.archive, name: f.name, reason: "not_an_image" });
          await fsp3.rm(f.file, { force: true });
          continue;
        }
        throw err;
      }
    }
    if (checked.length === 0) throw badRequest("no_files", "The archives held no images.");
    const result = await this.commit(projectId, checked);
    return { ...result, skipped: skipped.slice(0, MAX_LISTED_SKIPS), skippedTotal: skipped.length };
  }
  /**
   * Imports every image under a server folder (the CLI's `import`), in batches so a
   * folder of any size streams through. Unreadable files are reported and skipped.
   */
  async importFolder(projectId, folder, onProgress = () => {
  }) {
    const project = await this.projects.get(projectId);
    if (!project) throw notFound("project");
    const all = (await fsp3.readdir(folder, { recursive: true, withFileTypes: true })).filter((d) => d.isFile() && /\.(jpe?g|png|webp)$/i.test(d.name)).map((d) => path6.join(d.parentPath, d.name)).sort();
    const result = {
      added: 0,
      duplicates: 0,
      items: [],
      skipped: []
    };
    const BATCH = 200;
    for (let i = 0; i < all.length; i += BATCH) {
      const dir = await this.store.stagingDir();
      try {
        const checked = [];
        for (const abs of all.slice(i, i + BATCH)) {
          const name = path6.relative(folder, abs).split(path6.sep).join("/");
          const copy = path6.join(dir, `f${checked.length}-${result.skipped.length}`);
          await fsp3.copyFile(abs, copy);
          try {
            checked.push(await this.check({ name, file: copy }));
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            result.skipped.push({ name, reason: err.message });
          }
        }
        const r = await this.commit(projectId, checked);
        result.added += r.added;
        result.duplicates += r.duplicates;
        result.items.push(...r.items);
      } finally {
        await fsp3.rm(dir, { recursive: true, force: true });
      }
      onProgress(Math.min(i + BATCH, all.length), all.length);
    }
    return result;
  }
  async check(f) {
    const preview = `${f.file}.preview.jpg`;
    const probed = await probeImage(f.file, f.name, this.config.maxImagePixels, preview);
    return { ...probed, name: f.name, file: f.file, preview, sha256: await sha256File(f.file) };
  }
  async commit(projectId, checked) {
    const project = await this.projects.get(projectId);
    const inProject = await existingBlobsInProject(
      this.db,
      projectId,
      checked.map((c) => c.sha256)
    );
    const fresh = [];
    const seen = new Set(inProject);
    for (const c of checked) {
      if (seen.has(c.sha256)) continue;
      seen.add(c.sha256);
      fresh.push(c);
    }
    const created = [];
    const now = this.clock.now();
    try {
      for (const c of fresh) {
        if (await this.store.adopt(c.file, c.sha256)) {
          created.push(c.sha256);
          await this.store.adoptPreview(c.preview, c.sha256);
        }
      }
      const rows4 = fresh.map((c) => ({
        project_id: projectId,
        blob_sha256: c.sha256,
        source_path: null,
        name: c.name,
        width: c.width,
        height: c.height,
        meta: null,
        is_gold: 0,
        claimed: 0,
        open: 1,
        submitted: 0,
        created_at: now
      }));
      const items = await withTx(this.db, async (trx) => {
        for (const c of fresh) {
          await this.blobs.upsert(
            {
              sha256: c.sha256,
              size: (await fsp3.stat(this.store.pathOf(c.sha256))).size,
              mime: c.mime,
              width: c.width,
              height: c.height,
              orientation: c.orientation,
              has_preview: 1,
              created_at: now
            },
            trx
          );
        }
        await this.blobs.grant(trx, imageHoldersOf(project), [...new Set(checked.map((c) => c.sha256))]);
        return this.items.insertReturning(trx, rows4);
      });
      return { added: items.length, duplicates: checked.length - fresh.length, items };
    } catch (err) {
      for (const sha of created) await this.store.remove(sha);
      throw err;
    }
  }
};

// src/server/services/manifest.service.ts
import fs6 from "node:fs";
import path7 from "node:path";
import readline from "node:readline";
import { parse as parseCsv } from "csv-parse";
var CHUNK = 1e4;
var SHA_RE = /^[0-9a-f]{64}$/;
function truncate(s, max) {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 55296 && code <= 56319 ? max - 1 : max);
}
var ManifestService = class {
  constructor(db, projects, items, blobs, config, clock) {
    this.db = db;
    this.projects = projects;
    this.items = items;
    this.blobs = blobs;
    this.config = config;
    this.clock = clock;
  }
  db;
  projects;
  items;
  blobs;
  config;
  clock;
  async importFile(actor, projectId, file, format, onProgress = () => {
  }) {
    const project = await this.projects.get(projectId);
    if (actor) assertCanUpload(actor, project);
    else if (!project) throw notFound("project");
    let total = 0;
    let pendingShas = /* @__PURE__ */ new Map();
    const namer = imageNamerOf(actor);
    const flushShas = async () => {
      const shas = [...pendingShas.keys()];
      const known = namer === null ? new Set((await this.blobs.existing(shas)).keys()) : await this.blobs.usableBy(namer, shas);
      for (const [sha, line] of pendingShas) {
        if (!known.has(sha))
          throw badRequest("manifest_unknown_image", `line ${line}: no image available to you has sha256 ${sha}.`);
      }
      pendingShas = /* @__PURE__ */ new Map();
    };
    for await (const row of this.rows(file, format)) {
      total++;
      if (row.sha256) {
        pendingShas.set(row.sha256, row.line);
        if (pendingShas.size >= 1e3) await flushShas();
      }
      if (total % 1e5 === 0) onProgress("check", total, 0);
    }
    await flushShas();
    if (total === 0) throw badRequest("manifest_empty", "The manifest holds no rows.");
    onProgress("check", total, total);
    const now = this.clock.now();
    let batch = [];
    let added = 0;
    const flush = async () => {
      const rows4 = batch;
      batch = [];
      const shas = [...new Set(rows4.flatMap((r) => r.blob_sha256 ? [r.blob_sha256] : []))];
      await withTx(this.db, async (trx) => {
        await this.items.insertMany(rows4, trx);
        await this.blobs.grant(trx, imageHoldersOf(project), shas);
      });
      added += rows4.length;
      onProgress("write", added, total);
    };
    for await (const row of this.rows(file, format)) {
      batch.push({
        project_id: projectId,
        blob_sha256: row.sha256,
        source_path: row.path,
        name: row.name,
        width: row.width,
        height: row.height,
        meta: row.meta,
        is_gold: 0,
        claimed: 0,
        open: 1,
        submitted: 0,
        created_at: now
      });
      if (batch.length >= CHUNK) await flush();
    }
    if (batch.length > 0) await flush();
    return { added };
  }
  async *rows(file, format) {
    if (format === "csv") {
      const parser = fs6.createReadStream(file).pipe(parseCsv({ columns: true, skip_empty_lines: true, trim: true, bom: true }));
      let line2 = 1;
      try {
        for await (const rec of parser) {
          line2++;
          const { sha256: sha2563, path: p, name, width, height, ...rest } = rec;
          yield this.row(line2, { sha256: sha2563, path: p, name, width: Number(width), height: Number(height), meta: rest });
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw badRequest(
          "manifest_invalid_row",
          `The CSV manifest cannot be read near line ${line2}: ${err.message}`
        );
      }
      return;
    }
    const lines = readline.createInterface({ input: fs6.createReadStream(file), crlfDelay: Infinity });
    let line = 0;
    for await (const text2 of lines) {
      line++;
      if (!text2.trim()) continue;
      let rec;
      try {
        rec = JSON.parse(text2);
      } catch {
        throw badRequest("manifest_invalid_row", `line ${line}: not valid JSON.`);
      }
      if (!rec || typeof rec !== "object" || Array.isArray(rec)) {
        throw badRequest("manifest_invalid_row", `line ${line}: each line must be a JSON object.`);
      }
      yield this.row(line, rec);
    }
  }
  row(line, rec) {
    const bad = (why) => badRequest("manifest_invalid_row", `line ${line}: ${why}`);
    const { width, height } = rec;
    if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
      throw bad("width and height must be positive whole numbers of pixels.");
    }
    if (width * height > this.config.maxImagePixels) throw bad(`${width}\xD7${height} is over the pixel limit.`);
    for (const field of ["sha256", "path", "name"]) {
      if (typeof rec[field] === "string" && !isCleanText(rec[field])) {
        throw bad(`${field} holds a NUL character or broken Unicode.`);
      }
    }
    let sha2563 = null;
    let file = null;
    if (typeof rec.sha256 === "string" && rec.sha256) {
      sha2563 = rec.sha256.toLowerCase();
      if (!SHA_RE.test(sha2563)) throw bad("sha256 must be 64 hexadecimal digits.");
    } else if (typeof rec.path === "string" && rec.path) {
      file = this.resolvePath(rec.path, line);
    } else {
      throw bad("each row names an image by sha256 or by path.");
    }
    const name = typeof rec.name === "string" && rec.name ? rec.name : file ? path7.basename(file) : sha2563;
    let meta = null;
    const m = rec.meta && typeof rec.meta === "object" ? rec.meta : null;
    if (m && Object.keys(m).length > 0) meta = JSON.stringify(m);
    if (meta && meta.length > 1e4) throw bad("meta is longer than 10,000 characters.");
    return { line, sha256: sha2563, path: file, name: truncate(String(name), 500), width, height, meta };
  }
  resolvePath(p, line) {
    const roots = this.config.importRoots;
    if (roots.length === 0) {
      throw badRequest(
        "manifest_paths_disabled",
        "Rows name files by path, but no import root is configured (SHUGU_IMPORT_ROOTS)."
      );
    }
    const abs = path7.isAbsolute(p) ? path7.resolve(p) : path7.resolve(roots[0], p);
    const inside = (f, rs) => rs.some((r) => f === r || f.startsWith(r + path7.sep));
    const outside = () => badRequest("manifest_path_outside_roots", `line ${line}: ${p} lies outside the import roots.`);
    if (!inside(abs, roots)) throw outside();
    if (!fs6.statSync(abs, { throwIfNoEntry: false })?.isFile()) {
      throw badRequest("manifest_file_missing", `line ${line}: there is no file ${p}.`);
    }
    const realRoots = roots.map((r) => fs6.existsSync(r) ? fs6.realpathSync(r) : r);
    if (!inside(fs6.realpathSync(abs), realRoots)) throw outside();
    return abs;
  }
};

// src/core/coco-read.ts
var MAX_PROBLEMS = 50;
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var isId = (v) => typeof v === "number" && Number.isFinite(v) || typeof v === "string" && v.length > 0;
function readCocoGold(coco, category) {
  const problems = [];
  const skipped = { crowd: [], otherCategory: [] };
  const problem = (p) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  if (!isObject(coco) || !Array.isArray(coco.images) || !Array.isArray(coco.annotations)) {
    problem({ code: "invalid_coco", at: "", message: 'A COCO file has "images" and "annotations" arrays.' });
    return { problems, images: [], skipped };
  }
  const n = category.keypoints.length;
  const declared = /* @__PURE__ */ new Set();
  const ours = /* @__PURE__ */ new Set();
  if (coco.categories !== void 0 && !Array.isArray(coco.categories)) {
    problem({ code: "invalid_coco", at: "categories", message: '"categories" must be an array.' });
  }
  const categories = Array.isArray(coco.categories) ? coco.categories : [];
  categories.forEach((c, i) => {
    if (!isObject(c) || !isId(c.id)) {
      problem({ code: "invalid_coco", at: `categories[${i}]`, message: `categories[${i}] has no id.` });
      return;
    }
    declared.add(c.id);
    const sameKeypoints = Array.isArray(c.keypoints) && c.keypoints.length === n && c.keypoints.every((k, j) => k === category.keypoints[j]);
    if (c.name === category.name || sameKeypoints) ours.add(c.id);
  });
  if (categories.length === 0) {
    declared.add(1);
    ours.add(1);
  } else if (ours.size === 0 && problems.length === 0) {
    const names = categories.map((c) => isObject(c) ? String(c.name) : "?").join(", ");
    problem({
      code: "category_mismatch",
      at: "categories",
      message: `None of the file's categories (${names}) is this project's "${category.name}" with its ${n} keypoints.`
    });
  }
  const order = [];
  const imageIds = /* @__PURE__ */ new Set();
  coco.images.forEach((img, i) => {
    if (!isObject(img) || !isId(img.id) || typeof img.file_name !== "string" || img.file_name === "") {
      problem({
        code: "invalid_image",
        at: `images[${i}]`,
        id: isObject(img) ? img.id : void 0,
        message: `images[${i}] needs an "id" and a "file_name".`
      });
      return;
    }
    imageIds.add(img.id);
    order.push({ id: img.id, fileName: img.file_name });
  });
  const byImage = /* @__PURE__ */ new Map();
  coco.annotations.forEach((a, i) => {
    const at = `annotations[${i}]`;
    if (!isObject(a)) {
      problem({ code: "invalid_annotation", at, message: `${at} is not an object.` });
      return;
    }
    const where = a.id === void 0 ? at : `${at} (id ${JSON.stringify(a.id)})`;
    if (!declared.has(a.category_id)) {
      problem({
        code: "unknown_category",
        at,
        id: a.id,
        message: a.category_id === void 0 ? `${where} has no category_id.` : `${where}: category_id ${JSON.stringify(a.category_id)} is not one of the file's categories.`
      });
      return;
    }
    if (!imageIds.has(a.image_id)) {
      problem({
        code: "unknown_image",
        at,
        id: a.id,
        message: `${where}: image_id ${JSON.stringify(a.image_id)} is not one of the file's images.`
      });
      return;
    }
    if (!ours.has(a.category_id)) {
      skipped.otherCategory.push({ at, id: a.id, imageId: a.image_id });
      return;
    }
    if (a.iscrowd === 1 || a.iscrowd === true) {
      skipped.crowd.push({ at, id: a.id, imageId: a.image_id });
      return;
    }
    const kp = a.keypoints;
    if (!Array.isArray(kp) || kp.length !== 3 * n) {
      const len = Array.isArray(kp) ? kp.length : 0;
      const points2 = len % 3 === 0 ? `${len / 3} keypoints` : `${len} keypoint values (not a multiple of 3)`;
      problem({
        code: "wrong_point_count",
        at,
        id: a.id,
        message: `${where} has ${points2}; the template has ${n}.`
      });
      return;
    }
    const points = [];
    for (let j = 0; j < n; j++) {
      const x = kp[3 * j];
      const y = kp[3 * j + 1];
      const v = kp[3 * j + 2];
      if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) {
        problem({ code: "invalid_keypoints", at, id: a.id, message: `${where}: keypoint ${j} is not a number pair.` });
        return;
      }
      points.push(v === 1 || v === 2 ? [x, y, v] : [0, 0, 0]);
    }
    const b = a.bbox;
    const bbox = Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === "number" && Number.isFinite(x)) ? b : null;
    const list = byImage.get(a.image_id) ?? [];
    list.push({ bbox, points });
    byImage.set(a.image_id, list);
  });
  return {
    problems,
    images: order.map((img) => ({ fileName: img.fileName, instances: byImage.get(img.id) ?? [] })),
    skipped
  };
}

// src/core/quality/gold-reference.ts
var NAMED = 12;
function goldReferenceProblem(template, data, notInImage = []) {
  if (data.instances.length === 0) {
    return { message: "The reference is empty: draw at least one instance before saving it as gold.", missing: [] };
  }
  const missing = [];
  data.instances.forEach((inst, i) => {
    const marked = new Set(notInImage[i] ?? []);
    const points = [];
    inst.points.forEach(([, , v], j) => {
      if (v === 0 && !marked.has(j)) points.push(j);
    });
    if (points.length > 0)
      missing.push({ instance: i, points, ids: points.map((j) => template.points[j]?.id ?? `#${j}`) });
  });
  if (missing.length === 0) return null;
  const parts2 = missing.map((m) => {
    const named = m.ids.slice(0, NAMED).join(", ") + (m.ids.length > NAMED ? ", \u2026" : "");
    return `instance ${m.instance + 1} lacks ${m.points.length} of ${template.points.length} points (${named})`;
  });
  return {
    message: `The reference is incomplete: ${parts2.join("; ")}. Place every point or mark it not in the image.`,
    missing
  };
}

// src/core/quality/hungarian.ts
function solveAssignment(cost, rows4, cols, maximize = false) {
  if (cost.length !== rows4 * cols)
    throw new RangeError(`expected ${rows4}\xD7${cols} = ${rows4 * cols} costs, got ${cost.length}`);
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) throw new RangeError(`cost ${i} is not a finite number: ${cost[i]}`);
  }
  const rowToCol = new Int32Array(rows4).fill(-1);
  if (rows4 === 0 || cols === 0) return rowToCol;
  const transpose = rows4 > cols;
  const n = transpose ? cols : rows4;
  const m = transpose ? rows4 : cols;
  const sign = maximize ? -1 : 1;
  const a = (i, j) => sign * (transpose ? cost[j * cols + i] : cost[i * cols + j]);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    if (transpose) rowToCol[j - 1] = p[j] - 1;
    else rowToCol[p[j] - 1] = j - 1;
  }
  return rowToCol;
}

// src/core/quality/oks.ts
var OKS_EPS = 2220446049250313e-31;
var varsCache = /* @__PURE__ */ new WeakMap();
function oksVariances(template) {
  let vars = varsCache.get(template.points);
  if (!vars) {
    vars = Float64Array.from(template.points, (p) => (2 * p.sigma) ** 2);
    varsCache.set(template.points, vars);
  }
  return vars;
}
function oksArea(reference) {
  if (reference.bbox) return reference.bbox[2] * reference.bbox[3];
  const b = boxOfPoints(reference.points);
  return b ? b[2] * b[3] : 0;
}
function oks(answer, reference, template, options = {}) {
  const vars = oksVariances(template);
  const denom = (options.area ?? oksArea(reference)) + OKS_EPS;
  const n = vars.length;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = reference.points[i];
    if (!r || r[2] === 0) continue;
    count++;
    const a = answer.points[i];
    if (!a || a[2] === 0) continue;
    const dx = a[0] - r[0];
    const dy = a[1] - r[1];
    sum += Math.exp(-((dx * dx + dy * dy) / vars[i] / denom / 2));
  }
  return count > 0 ? sum / count : 0;
}

// src/core/quality/matching.ts
function boxIou(a, b) {
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}
function instanceBox(instance) {
  return instance.bbox ?? boxOfPoints(instance.points);
}
function matchScore(a, b, template, by) {
  if (by === "oks") return oks(a, b, template);
  const ba = instanceBox(a);
  const bb = instanceBox(b);
  return ba && bb ? boxIou(ba, bb) : 0;
}
function matchInstances(a, b, template, options = {}) {
  const by = options.by ?? "oks";
  const minScore = options.minScore ?? 0.5;
  const rows4 = a.length;
  const cols = b.length;
  const scores = new Float64Array(rows4 * cols);
  for (let i = 0; i < rows4; i++) {
    for (let j = 0; j < cols; j++) {
      const s = matchScore(a[i], b[j], template, by);
      scores[i * cols + j] = s >= minScore && s > 0 ? s : 0;
    }
  }
  const r2c = solveAssignment(scores, rows4, cols, true);
  const pairs = [];
  const usedB = new Uint8Array(cols);
  const unmatchedA = [];
  for (let i = 0; i < rows4; i++) {
    const j = r2c[i];
    if (j >= 0 && scores[i * cols + j] > 0) {
      pairs.push({ a: i, b: j, score: scores[i * cols + j] });
      usedB[j] = 1;
    } else {
      unmatchedA.push(i);
    }
  }
  const unmatchedB = [];
  for (let j = 0; j < cols; j++) if (!usedB[j]) unmatchedB.push(j);
  return { pairs, unmatchedA, unmatchedB };
}

// src/core/quality/nme.ts
function boxScale(instance) {
  if (instance.bbox) {
    const s = Math.sqrt(instance.bbox[2] * instance.bbox[3]);
    if (s > 0) return s;
  }
  const b = boxOfPoints(instance.points);
  if (b) {
    const s = Math.sqrt(b[2] * b[3]);
    if (s > 0) return s;
  }
  return NaN;
}
function nmeNormalizer(reference, template) {
  const pair = template.normalization;
  if (pair) {
    const a = reference.points[pair[0]];
    const b = reference.points[pair[1]];
    if (a && b && a[2] > 0 && b[2] > 0) {
      const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (d > 0) return d;
    }
  }
  return boxScale(reference);
}
function nme(answer, reference, template, options = {}) {
  const n = template.points.length;
  const perm = options.permutation;
  const norm = nmeNormalizer(reference, template);
  const perPoint = new Array(n);
  let sum = 0;
  let scored = 0;
  let missed = 0;
  for (let i = 0; i < n; i++) {
    const r = reference.points[i];
    if (!r || r[2] === 0) {
      perPoint[i] = NaN;
      continue;
    }
    scored++;
    const a = answer.points[perm ? perm[i] : i];
    let e;
    if (!a || a[2] === 0) {
      missed++;
      e = 1;
    } else {
      e = Math.hypot(a[0] - r[0], a[1] - r[1]) / norm;
    }
    perPoint[i] = e;
    sum += e;
  }
  return { nme: scored > 0 ? sum / scored : NaN, perPoint, normalizer: norm, scored, missed };
}

// src/core/quality/swap.ts
var permCache = /* @__PURE__ */ new WeakMap();
function flipPermutation(template) {
  let perm = permCache.get(template.flipPairs);
  if (!perm || perm.length !== template.points.length) {
    perm = Int32Array.from(template.points, (_, i) => i);
    for (const [a, b] of template.flipPairs) {
      perm[a] = b;
      perm[b] = a;
    }
    permCache.set(template.flipPairs, perm);
  }
  return perm;
}
function detectSwap(answer, reference, template, options = {}) {
  const ratio = options.ratio ?? 0.5;
  const maxNme = options.maxNme ?? 0.1;
  const asIs = nme(answer, reference, template).nme;
  const flipped = nme(answer, reference, template, { permutation: flipPermutation(template) }).nme;
  return { swapped: flipped < ratio * asIs && flipped < maxNme, nme: asIs, nmeFlipped: flipped };
}

// src/core/quality/gold-score.ts
var IMPRECISE = 0.1;
function pairInstances(ans, ref, template) {
  const match = matchInstances(ans, ref, template, { by: "oks", minScore: 0.01 });
  const pairs = [...match.pairs];
  const unmatchedAns = new Set(match.unmatchedA);
  const unmatchedRef = new Set(match.unmatchedB);
  if (unmatchedAns.size && unmatchedRef.size) {
    const byBox = matchInstances(
      [...unmatchedAns].map((i) => ans[i]),
      [...unmatchedRef].map((j) => ref[j]),
      template,
      { by: "iou", minScore: 0.3 }
    );
    const ua = [...unmatchedAns];
    const ur = [...unmatchedRef];
    for (const p of byBox.pairs) {
      pairs.push({ a: ua[p.a], b: ur[p.b], score: 0 });
      unmatchedAns.delete(ua[p.a]);
      unmatchedRef.delete(ur[p.b]);
    }
  }
  return { pairs, unmatchedAns, unmatchedRef };
}
function scoreGold(answer, reference, template) {
  const ref = reference.instances;
  const ans = answer.instances;
  const feedback = [];
  const n = template.points.length;
  if (ref.length === 0) {
    if (ans.length > 0) feedback.push({ code: "extra_instance", count: ans.length });
    return { score: ans.length === 0 ? 1 : 0, nme: null, swapped: false, perPoint: new Array(n).fill(NaN), feedback };
  }
  const { pairs, unmatchedAns, unmatchedRef } = pairInstances(ans, ref, template);
  let total = 0;
  let nmeSum = 0;
  let nmeCount = 0;
  let swapped = false;
  const perPointSum = new Float64Array(n);
  const perPointCount = new Uint32Array(n);
  const imprecise = /* @__PURE__ */ new Set();
  const visibility = /* @__PURE__ */ new Set();
  for (const p of pairs) {
    const a = ans[p.a];
    const r = ref[p.b];
    total += oks(a, r, template);
    const e = nme(a, r, template);
    if (Number.isFinite(e.nme)) {
      nmeSum += e.nme;
      nmeCount++;
    }
    if (template.flipPairs.length > 0 && detectSwap(a, r, template).swapped) {
      swapped = true;
      feedback.push({ code: "left_right_swap", instance: p.b });
    }
    e.perPoint.forEach((err, i) => {
      if (!Number.isFinite(err)) return;
      perPointSum[i] += err;
      perPointCount[i]++;
      if (err > IMPRECISE) imprecise.add(i);
      const av = a.points[i]?.[2] ?? 0;
      const rv = r.points[i]?.[2] ?? 0;
      if (av === 0 !== (rv === 0)) visibility.add(i);
    });
  }
  if (unmatchedRef.size) feedback.push({ code: "missed_instance", count: unmatchedRef.size });
  if (unmatchedAns.size) feedback.push({ code: "extra_instance", count: unmatchedAns.size });
  if (!swapped && imprecise.size)
    feedback.push({ code: "imprecise_points", points: [...imprecise].sort((x, y) => x - y) });
  if (visibility.size) feedback.push({ code: "visibility_mismatch", points: [...visibility].sort((x, y) => x - y) });
  const perPoint = Array.from(perPointSum, (s, i) => perPointCount[i] ? s / perPointCount[i] : NaN);
  return {
    score: total / Math.max(ref.length, ans.length),
    nme: nmeCount ? nmeSum / nmeCount : null,
    swapped,
    perPoint,
    feedback
  };
}

// src/core/quality/fast-exp.ts
var STEPS = 128;
var H = 1 / STEPS;
var LIMIT = 40;
var TABLE = new Float64Array(LIMIT * STEPS + 1);
for (let j = 0; j < TABLE.length; j++) TABLE[j] = Math.exp(-j * H);
function expNeg(e) {
  if (e >= LIMIT) return 0;
  const j = e * STEPS | 0;
  const t = e - j * H;
  return TABLE[j] * (1 - t * (1 - t * (0.5 - t * (1 / 6 - t * (1 / 24 - t * (1 / 120))))));
}

// src/core/quality/consensus.ts
var Scratch = class {
  /** Copies of the members' points, `[x, y, v]` × n each. */
  rows = [];
  rowLen = 0;
  /** The consensus points, `[x, y, v]` × n. */
  cons = new Float64Array(0);
  /** Per member: its weight. */
  weights = new Float64Array(8);
  /** Per labelling member of one point: x, y, weight (also box corners). */
  xs = new Float64Array(8);
  ys = new Float64Array(8);
  ws = new Float64Array(8);
  x1s = new Float64Array(8);
  y1s = new Float64Array(8);
  /** Sort buffers for the weighted median. */
  sortV = new Float64Array(8);
  sortW = new Float64Array(8);
  /** Result of the geometric median. */
  geo = new Float64Array(2);
  ensureWorkers(m) {
    if (this.xs.length >= m) return;
    const size = Math.max(m, this.xs.length * 2);
    this.weights = new Float64Array(size);
    this.xs = new Float64Array(size);
    this.ys = new Float64Array(size);
    this.ws = new Float64Array(size);
    this.x1s = new Float64Array(size);
    this.y1s = new Float64Array(size);
    this.sortV = new Float64Array(size);
    this.sortW = new Float64Array(size);
  }
  ensureRows(m, len) {
    if (len > this.rowLen) {
      this.rows = [];
      this.rowLen = len;
      this.cons = new Float64Array(len);
    }
    while (this.rows.length < m) this.rows.push(new Float64Array(this.rowLen));
  }
};
var S = new Scratch();
function checkWeights(weights, m) {
  if (!weights) return;
  if (weights.length !== m) throw new RangeError(`expected ${m} worker weights, got ${weights.length}`);
  for (let i = 0; i < m; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`worker weight ${i} must be finite and \u2265 0, got ${w}`);
  }
}
function median3(a, b, c) {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
function plainMedian(vals, cnt, sortV) {
  if (cnt === 1) return vals[0];
  if (cnt === 2) return (vals[0] + vals[1]) / 2;
  if (cnt === 3) return median3(vals[0], vals[1], vals[2]);
  for (let i = 0; i < cnt; i++) {
    const v = vals[i];
    let j = i - 1;
    while (j >= 0 && sortV[j] > v) {
      sortV[j + 1] = sortV[j];
      j--;
    }
    sortV[j + 1] = v;
  }
  const h = cnt >> 1;
  return cnt & 1 ? sortV[h] : (sortV[h - 1] + sortV[h]) / 2;
}
function weightedMedian(vals, w, cnt, sortV, sortW) {
  if (cnt === 1) return vals[0];
  let total = 0;
  for (let i = 0; i < cnt; i++) {
    const v = vals[i];
    const wi = w[i];
    total += wi;
    let j = i - 1;
    while (j >= 0 && sortV[j] > v) {
      sortV[j + 1] = sortV[j];
      sortW[j + 1] = sortW[j];
      j--;
    }
    sortV[j + 1] = v;
    sortW[j + 1] = wi;
  }
  const half = total / 2;
  const tol = total * 1e-12;
  let cum = 0;
  for (let i = 0; i < cnt; i++) {
    cum += sortW[i];
    if (cum >= half - tol) {
      return Math.abs(cum - half) <= tol && i + 1 < cnt ? (sortV[i] + sortV[i + 1]) / 2 : sortV[i];
    }
  }
  return sortV[cnt - 1];
}
function geometricMedian(cnt, equal, iterations) {
  const { xs, ys, ws, sortV, sortW } = S;
  let gx = equal ? plainMedian(xs, cnt, sortV) : weightedMedian(xs, ws, cnt, sortV, sortW);
  let gy = equal ? plainMedian(ys, cnt, sortV) : weightedMedian(ys, ws, cnt, sortV, sortW);
  if (cnt > 2) {
    let tol = 0;
    for (let it = 0; it < iterations; it++) {
      let nx = 0;
      let ny = 0;
      let den = 0;
      let rx = 0;
      let ry = 0;
      let eta = 0;
      let wd = 0;
      let wsum = 0;
      for (let j = 0; j < cnt; j++) {
        const dx = xs[j] - gx;
        const dy = ys[j] - gy;
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d < 1e-9) {
          eta += ws[j];
          continue;
        }
        const q = ws[j] / d;
        wd += ws[j] * d;
        wsum += ws[j];
        nx += q * xs[j];
        ny += q * ys[j];
        den += q;
        rx += q * dx;
        ry += q * dy;
      }
      if (den === 0) break;
      if (it === 0) tol = 1e-4 * wd / (wsum + eta);
      nx /= den;
      ny /= den;
      if (eta > 0) {
        const r = Math.sqrt(rx * rx + ry * ry);
        if (r <= eta) break;
        const g = eta / r;
        nx = (1 - g) * nx + g * gx;
        ny = (1 - g) * ny + g * gy;
      }
      const moved = Math.abs(nx - gx) + Math.abs(ny - gy);
      gx = nx;
      gy = ny;
      if (moved < tol) break;
    }
  }
  S.geo[0] = gx;
  S.geo[1] = gy;
}
function mergeRows(rows4, k, n, out, geometric, iterations) {
  const { weights, xs, ys, ws, sortV, sortW } = S;
  let equal = true;
  for (let r = 1; r < k; r++) if (weights[r] !== weights[0]) equal = false;
  const three = k === 3 && equal && !geometric;
  const r0 = rows4[0];
  const r1 = three ? rows4[1] : r0;
  const r2 = three ? rows4[2] : r0;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (three) {
      const v0 = r0[o + 2];
      const v1 = r1[o + 2];
      const v2 = r2[o + 2];
      if (v0 > 0 && v1 > 0 && v2 > 0) {
        out[o] = median3(r0[o], r1[o], r2[o]);
        out[o + 1] = median3(r0[o + 1], r1[o + 1], r2[o + 1]);
        out[o + 2] = (v0 >= 2 ? 1 : 0) + (v1 >= 2 ? 1 : 0) + (v2 >= 2 ? 1 : 0) >= 2 ? 2 : 1;
        continue;
      }
    }
    let cnt = 0;
    let wLab = 0;
    let wNot = 0;
    let wVis = 0;
    for (let r = 0; r < k; r++) {
      const row = rows4[r];
      const w = weights[r];
      const v = row[o + 2];
      if (v > 0) {
        wLab += w;
        if (v >= 2) wVis += w;
        if (w > 0) {
          xs[cnt] = row[o];
          ys[cnt] = row[o + 1];
          ws[cnt] = w;
          cnt++;
        }
      } else {
        wNot += w;
      }
    }
    if (cnt === 0 || wLab < wNot) {
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      continue;
    }
    if (geometric) {
      geometricMedian(cnt, equal, iterations);
      out[o] = S.geo[0];
      out[o + 1] = S.geo[1];
    } else if (equal) {
      out[o] = plainMedian(xs, cnt, sortV);
      out[o + 1] = plainMedian(ys, cnt, sortV);
    } else {
      out[o] = weightedMedian(xs, ws, cnt, sortV, sortW);
      out[o + 1] = weightedMedian(ys, ws, cnt, sortV, sortW);
    }
    out[o + 2] = wVis >= wLab - wVis ? 2 : 1;
  }
}
function mergeBoxes(answers, members, weights) {
  const { xs, ys, x1s, y1s, ws, sortV, sortW } = S;
  let cnt = 0;
  for (let pass = 0; pass < 2 && cnt === 0; pass++) {
    for (let w = 0; w < members.length; w++) {
      const idx = members[w];
      if (idx < 0) continue;
      const b = answers[w][idx].bbox;
      if (!b) continue;
      const wt = pass === 1 || !weights ? 1 : weights[w];
      if (wt <= 0) continue;
      xs[cnt] = b[0];
      ys[cnt] = b[1];
      x1s[cnt] = b[0] + b[2];
      y1s[cnt] = b[1] + b[3];
      ws[cnt] = wt;
      cnt++;
    }
  }
  if (cnt === 0) return null;
  if (cnt === 3 && ws[0] === ws[1] && ws[1] === ws[2]) {
    const bx0 = median3(xs[0], xs[1], xs[2]);
    const by0 = median3(ys[0], ys[1], ys[2]);
    const bx1 = median3(x1s[0], x1s[1], x1s[2]);
    const by1 = median3(y1s[0], y1s[1], y1s[2]);
    return [bx0, by0, Math.max(0, bx1 - bx0), Math.max(0, by1 - by0)];
  }
  const x0 = weightedMedian(xs, ws, cnt, sortV, sortW);
  const y0 = weightedMedian(ys, ws, cnt, sortV, sortW);
  const x1 = weightedMedian(x1s, ws, cnt, sortV, sortW);
  const y1 = weightedMedian(y1s, ws, cnt, sortV, sortW);
  return [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];
}
function clusterInstances(answers, template, pivot, by, minScore) {
  const m = answers.length;
  const clusters = [];
  const reps = [];
  for (let w = -1; w < m; w++) {
    const worker = w < 0 ? pivot : w;
    if (w === pivot) continue;
    const mine = answers[worker];
    const k = mine.length;
    const c = clusters.length;
    let r2c = null;
    let scores = NO_SCORES;
    if (c === 1 && k === 1) {
      const s = matchScore(mine[0], reps[0], template, by);
      if (s >= minScore && s > 0) {
        clusters[0][worker] = 0;
        continue;
      }
    } else if (c > 0 && k > 0) {
      scores = new Float64Array(k * c);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < c; j++) {
          const s = matchScore(mine[i], reps[j], template, by);
          scores[i * c + j] = s >= minScore && s > 0 ? s : 0;
        }
      }
      r2c = solveAssignment(scores, k, c, true);
    }
    for (let i = 0; i < k; i++) {
      const j = r2c ? r2c[i] : -1;
      if (j >= 0 && scores[i * c + j] > 0) {
        clusters[j][worker] = i;
      } else {
        const members = new Array(m).fill(-1);
        members[worker] = i;
        clusters.push(members);
        reps.push(mine[i]);
      }
    }
  }
  return clusters;
}
var NO_SCORES = new Float64Array(0);
var invVarsCache = /* @__PURE__ */ new WeakMap();
function inverseVariances(template) {
  const vars = oksVariances(template);
  let inv = invVarsCache.get(vars);
  if (!inv) {
    inv = vars.map((v) => 1 / v);
    invVarsCache.set(vars, inv);
  }
  return inv;
}
function mergeAnswers(answers, template, options = {}) {
  const m = answers.length;
  const n = template.points.length;
  const weights = options.weights;
  checkWeights(weights, m);
  const quorum = options.quorum ?? Math.floor(m / 2) + 1;
  const within = options.withinThreshold ?? 0.05;
  const geometric = options.method === "geometric-median";
  const iterations = options.iterations ?? 10;
  let pivot = options.pivot ?? -1;
  if (pivot >= m) throw new RangeError(`pivot ${pivot} is not a worker (${m} workers)`);
  if (pivot < 0) {
    pivot = 0;
    for (let w = 1; w < m; w++) if (answers[w].length > answers[pivot].length) pivot = w;
  }
  const clusters = m > 0 ? clusterInstances(answers, template, pivot, options.match?.by ?? "iou", options.match?.minScore ?? 0.3) : [];
  let weightSum = 0;
  if (weights) for (let w = 0; w < m; w++) weightSum += weights[w];
  const invVars = inverseVariances(template);
  const len = 3 * n;
  S.ensureWorkers(m);
  S.ensureRows(m, len);
  const { rows: rows4, cons, weights: rowWeights } = S;
  const instances2 = [];
  const unmerged = [];
  let oksTotal = 0;
  for (const members of clusters) {
    let k = 0;
    let wTotal = 0;
    for (let w = 0; w < m; w++) {
      if (members[w] < 0) continue;
      const row = rows4[k];
      const pts = answers[w][members[w]].points;
      for (let i = 0, o = 0; i < n; i++, o += 3) {
        const p = pts[i];
        if (p !== void 0 && p[2] > 0) {
          row[o] = p[0];
          row[o + 1] = p[1];
          row[o + 2] = p[2];
        } else {
          row[o] = 0;
          row[o + 1] = 0;
          row[o + 2] = 0;
        }
      }
      wTotal += rowWeights[k] = weights ? weights[w] : 1;
      k++;
    }
    const short = options.weightQuorum !== void 0 && weights ? wTotal < options.weightQuorum * weightSum : k < quorum;
    if (short) {
      unmerged.push({ members, support: k });
      continue;
    }
    if (wTotal === 0) rowWeights.fill(1, 0, k);
    mergeRows(rows4, k, n, cons, geometric, iterations);
    const bbox = mergeBoxes(answers, members, weights);
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    let labelled = 0;
    for (let o = 0; o < len; o += 3) {
      if (cons[o + 2] === 0) continue;
      labelled++;
      const x = cons[o];
      const y = cons[o + 1];
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
    }
    const pointsArea = labelled > 0 ? (bx1 - bx0) * (by1 - by0) : 0;
    const area = bbox ? bbox[2] * bbox[3] : pointsArea;
    let norm = NaN;
    const pair = template.normalization;
    if (pair && cons[3 * pair[0] + 2] > 0 && cons[3 * pair[1] + 2] > 0) {
      norm = Math.hypot(cons[3 * pair[0]] - cons[3 * pair[1]], cons[3 * pair[0] + 1] - cons[3 * pair[1] + 1]);
    }
    if (!(norm > 0)) norm = bbox && bbox[2] * bbox[3] > 0 ? Math.sqrt(bbox[2] * bbox[3]) : Math.sqrt(pointsArea);
    if (!(norm > 0)) norm = NaN;
    const invNorm = 1 / norm;
    const halfInvArea = 0.5 / (area + OKS_EPS);
    const withinPx = within * norm;
    const withinPx2 = withinPx * withinPx;
    const points = new Array(n);
    const perPoint = new Array(n);
    const withinShare = new Array(n);
    let oksSum = 0;
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const cx = cons[o];
      const cy = cons[o + 1];
      const cv = cons[o + 2];
      points[i] = [cx, cy, cv];
      if (cv === 0) {
        perPoint[i] = NaN;
        withinShare[i] = NaN;
        continue;
      }
      const f = halfInvArea * invVars[i];
      let ds = 0;
      let missed = 0;
      let inc = 0;
      for (let r = 0; r < k; r++) {
        const row = rows4[r];
        if (row[o + 2] === 0) {
          missed++;
          continue;
        }
        const dx = row[o] - cx;
        const dy = row[o + 1] - cy;
        const d2 = dx * dx + dy * dy;
        ds += Math.sqrt(d2);
        if (d2 <= withinPx2) inc++;
        oksSum += expNeg(d2 * f);
      }
      perPoint[i] = (ds * invNorm + missed) / k;
      withinShare[i] = inc / k;
    }
    const instOks = labelled > 0 ? oksSum / (labelled * k) : 0;
    oksTotal += instOks * k;
    instances2.push({
      bbox,
      points,
      agreement: { perPoint, within: withinShare, oks: instOks, support: k },
      members
    });
  }
  const agreement = clusters.length > 0 ? oksTotal / (m * clusters.length) : 1;
  return { instances: instances2, unmerged, agreement };
}

// src/core/quality/dawid-skene.ts
function sizes(triples, options) {
  const classes = options.classes;
  if (!Number.isInteger(classes) || classes < 1)
    throw new RangeError(`classes must be a positive integer, got ${classes}`);
  let maxItem = -1;
  let maxWorker = -1;
  for (const [i, w, l] of triples) {
    if (!Number.isInteger(i) || i < 0) throw new RangeError(`item index must be an integer \u2265 0, got ${i}`);
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`worker index must be an integer \u2265 0, got ${w}`);
    if (!Number.isInteger(l) || l < 0 || l >= classes)
      throw new RangeError(`label must be an integer in [0, ${classes}), got ${l}`);
    if (i > maxItem) maxItem = i;
    if (w > maxWorker) maxWorker = w;
  }
  const items = options.items ?? maxItem + 1;
  const workers = options.workers ?? maxWorker + 1;
  if (maxItem >= items) throw new RangeError(`item index ${maxItem} \u2265 items (${items})`);
  if (maxWorker >= workers) throw new RangeError(`worker index ${maxWorker} \u2265 workers (${workers})`);
  return { items, workers, classes };
}
function argmax(row, offset, k) {
  let best = 0;
  for (let c = 1; c < k; c++) if (row[offset + c] > row[offset + best]) best = c;
  return best;
}
function voteCounts(triples, s) {
  const counts = new Float64Array(s.items * s.classes);
  for (const [i, , l] of triples) counts[i * s.classes + l]++;
  return counts;
}
function majorityVote(triples, options) {
  const s = sizes(triples, options);
  const K = s.classes;
  const counts = voteCounts(triples, s);
  const labels = [];
  const posterior = [];
  for (let i = 0; i < s.items; i++) {
    let total = 0;
    for (let c = 0; c < K; c++) total += counts[i * K + c];
    labels.push(total > 0 ? argmax(counts, i * K, K) : -1);
    posterior.push(Array.from({ length: K }, (_, c) => total > 0 ? counts[i * K + c] / total : 1 / K));
  }
  return { labels, posterior };
}
function dawidSkene(triples, options) {
  const s = sizes(triples, options);
  const { items: I, workers: W, classes: K } = s;
  const maxIterations = options.maxIterations ?? 1e3;
  const tolerance = options.tolerance ?? 1e-6;
  const alpha = options.smoothing ?? 0.01;
  const T = voteCounts(triples, s);
  const labelled = new Uint8Array(I);
  for (let i = 0; i < I; i++) {
    let total = 0;
    for (let c = 0; c < K; c++) total += T[i * K + c];
    if (total > 0) {
      labelled[i] = 1;
      for (let c = 0; c < K; c++) T[i * K + c] /= total;
    }
  }
  const logPrior = new Float64Array(K);
  const logConf = new Float64Array(W * K * K);
  const counts = new Float64Array(W * K * K);
  const logT = new Float64Array(I * K);
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let nLabelled = 0;
    logPrior.fill(0);
    for (let i = 0; i < I; i++) {
      if (!labelled[i]) continue;
      nLabelled++;
      for (let c = 0; c < K; c++) logPrior[c] += T[i * K + c];
    }
    for (let c = 0; c < K; c++) logPrior[c] = Math.log((logPrior[c] + alpha) / (nLabelled + K * alpha));
    counts.fill(alpha);
    for (const [i, w, l] of triples) {
      for (let t = 0; t < K; t++) counts[(w * K + t) * K + l] += T[i * K + t];
    }
    for (let wt = 0; wt < W * K; wt++) {
      let row = 0;
      for (let l = 0; l < K; l++) row += counts[wt * K + l];
      for (let l = 0; l < K; l++) logConf[wt * K + l] = Math.log(counts[wt * K + l] / row);
    }
    for (let i = 0; i < I; i++) for (let c = 0; c < K; c++) logT[i * K + c] = logPrior[c];
    for (const [i, w, l] of triples) {
      for (let t = 0; t < K; t++) logT[i * K + t] += logConf[(w * K + t) * K + l];
    }
    let change = 0;
    logLikelihood = 0;
    for (let i = 0; i < I; i++) {
      let mx = -Infinity;
      for (let c = 0; c < K; c++) mx = Math.max(mx, logT[i * K + c]);
      let z7 = 0;
      for (let c = 0; c < K; c++) z7 += Math.exp(logT[i * K + c] - mx);
      if (labelled[i]) logLikelihood += mx + Math.log(z7);
      for (let c = 0; c < K; c++) {
        const p = Math.exp(logT[i * K + c] - mx) / z7;
        change = Math.max(change, Math.abs(p - T[i * K + c]));
        T[i * K + c] = p;
      }
    }
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  const labels = [];
  const posterior = [];
  for (let i = 0; i < I; i++) {
    labels.push(labelled[i] ? argmax(T, i * K, K) : -1);
    posterior.push(Array.from(T.subarray(i * K, i * K + K)));
  }
  const confusion = [];
  for (let w = 0; w < W; w++) {
    const m = [];
    for (let t = 0; t < K; t++) m.push(Array.from({ length: K }, (_, l) => Math.exp(logConf[(w * K + t) * K + l])));
    confusion.push(m);
  }
  return {
    labels,
    posterior,
    confusion,
    priors: Array.from(logPrior, (x) => Math.exp(x)),
    logLikelihood,
    iterations,
    converged
  };
}

// src/core/quality/attributes.ts
function mergeAttributes(values, weights) {
  const tally = /* @__PURE__ */ new Map();
  values.forEach((attrs, w) => {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      const byValue = tally.get(k) ?? /* @__PURE__ */ new Map();
      byValue.set(v, (byValue.get(v) ?? 0) + (weights ? weights[w] : 1));
      tally.set(k, byValue);
    }
  });
  const out = {};
  for (const [k, byValue] of [...tally].sort(([a], [b]) => a < b ? -1 : 1)) {
    let best = "";
    let bestScore = -1;
    for (const [v, score] of [...byValue].sort(([a], [b]) => a < b ? -1 : 1)) {
      if (score > bestScore) {
        best = v;
        bestScore = score;
      }
    }
    out[k] = best;
  }
  return out;
}
function resolveAttributes(observations) {
  const out = /* @__PURE__ */ new Map();
  const byKey = /* @__PURE__ */ new Map();
  for (const o of observations) {
    const list = byKey.get(o.key) ?? [];
    list.push(o);
    byKey.set(o.key, list);
  }
  for (const [key, list] of byKey) {
    const instances2 = [...new Set(list.map((o) => o.instance))];
    const workers = [...new Set(list.map((o) => o.worker))];
    const values = [...new Set(list.map((o) => o.value))].sort();
    const ii = new Map(instances2.map((x, i) => [x, i]));
    const wi = new Map(workers.map((x, i) => [x, i]));
    const vi = new Map(values.map((x, i) => [x, i]));
    const triples = list.map((o) => [ii.get(o.instance), wi.get(o.worker), vi.get(o.value)]);
    const options = { classes: values.length, items: instances2.length, workers: workers.length };
    const labels = workers.length > 1 && values.length > 1 ? dawidSkene(triples, options).labels : majorityVote(triples, options).labels;
    instances2.forEach((inst, i) => {
      const rec = out.get(inst) ?? {};
      rec[key] = values[labels[i]];
      out.set(inst, rec);
    });
  }
  return out;
}

// src/server/services/acceptance.ts
import { sql as sql11 } from "kysely";

// src/server/repositories/ledger.repository.ts
import { sql as sql10 } from "kysely";
var LedgerRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  // --- entries --------------------------------------------------------------------
  /** The new entry, or undefined when a unique key says it is already there. */
  insert(trx, values) {
    return trx.insertInto("ledger_entries").values(values).onConflict((oc) => oc.doNothing()).returning(["id", "amount_fen", "period"]).executeTakeFirst();
  }
  /** An annotation's earning and, when there is one, the entry that reversed it. */
  earningOf(trx, annotationId) {
    return trx.selectFrom("ledger_entries as e").leftJoin("ledger_entries as r", "r.reverses_id", "e.id").select([
      "e.id",
      "e.org_id",
      "e.worker_id",
      "e.project_id",
      "e.amount_fen",
      "e.annotation_id",
      "r.id as reversed_by"
    ]).where("e.annotation_id", "=", annotationId).where("e.kind", "=", "earning").executeTakeFirst();
  }
  byIdemKey(orgId, key, executor = this.db) {
    return executor.selectFrom("ledger_entries").selectAll().where("org_id", "=", orgId).where("idem_key", "=", key).executeTakeFirst();
  }
  /** A worker's entries, newest first. */
  entries(workerId, period2, limit = 1e3) {
    let q = this.db.selectFrom("ledger_entries as l").leftJoin("projects as p", "p.id", "l.project_id").select([
      "l.id",
      "l.kind",
      "l.amount_fen",
      "l.period",
      "l.project_id",
      "p.name as project_name",
      "l.annotation_id",
      "l.reverses_id",
      "l.reason",
      "l.created_at",
      "l.created_by"
    ]).where("l.worker_id", "=", workerId).orderBy("l.id", "desc").limit(limit);
    if (period2 !== null) q = q.where("l.period", "=", period2);
    return q.execute();
  }
  /** Sum of a worker's entries: the balance owed to her, read under the caller's lock. */
  async balance(workerId, executor = this.db, throughPeriod) {
    let q = executor.selectFrom("ledger_entries").select((eb) => eb.fn.sum("amount_fen").as("s")).where("worker_id", "=", workerId);
    if (throughPeriod) q = q.where("period", "<=", throughPeriod);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.s ?? 0);
  }
  /** Sum of a worker's entries other than payouts booked in [from, to): what she earned then. */
  async earnedBetween(workerId, from, to) {
    const row = await this.db.selectFrom("ledger_entries").select((eb) => eb.fn.sum("amount_fen").as("s")).where("worker_id", "=", workerId).where("kind", "!=", "payout").where("created_at", ">=", from).where("created_at", "<", to).executeTakeFirstOrThrow();
    return Number(row.s ?? 0);
  }
  // --- periods --------------------------------------------------------------------
  /**
   * A period's status, creating it open when new. On PostgreSQL the row is held FOR
   * SHARE until the caller commits, so closing the period (FOR UPDATE) waits for
   * entries being booked into it, and later bookings see it closed. SQLite's
   * IMMEDIATE transactions already serialise both.
   */
  async periodStatusForBooking(trx, orgId, period2, now) {
    const read = () => sql10`select status from pay_periods
        where org_id = ${orgId} and period = ${period2} ${this.lock("share")}`.execute(trx);
    let rows4 = (await read()).rows;
    if (rows4.length === 0) {
      await this.ensurePeriod(trx, orgId, period2, now);
      rows4 = (await read()).rows;
    }
    return rows4[0].status;
  }
  ensurePeriod(trx, orgId, period2, now) {
    return trx.insertInto("pay_periods").values({ org_id: orgId, period: period2, status: "open", created_at: now }).onConflict((oc) => oc.columns(["org_id", "period"]).doNothing()).execute();
  }
  /** The period row held FOR UPDATE on PostgreSQL, for closing it. */
  async lockPeriod(trx, orgId, period2) {
    const { rows: rows4 } = await sql10`select status from pay_periods
      where org_id = ${orgId} and period = ${period2} ${this.lock("update")}`.execute(trx);
    return rows4[0]?.status;
  }
  markClosed(trx, orgId, period2, by, now) {
    return trx.updateTable("pay_periods").set({ status: "closed", closed_at: now, closed_by: by }).where("org_id", "=", orgId).where("period", "=", period2).where("status", "=", "open").executeTakeFirst();
  }
  /** An organisation's periods with their totals by kind, newest first. */
  periods(orgId) {
    return this.db.selectFrom("pay_periods as p").leftJoin("ledger_entries as l", (j) => j.onRef("l.org_id", "=", "p.org_id").onRef("l.period", "=", "p.period")).select((eb) => [
      "p.period",
      "p.status",
      "p.closed_at",
      "p.closed_by",
      eb.fn.sum(sql10`case when l.kind = 'payout' then 0 else l.amount_fen end`).as("earned"),
      eb.fn.sum(sql10`case when l.kind = 'payout' then -l.amount_fen else 0 end`).as("paid"),
      eb.fn.count("l.id").as("entries")
    ]).where("p.org_id", "=", orgId).groupBy(["p.period", "p.status", "p.closed_at", "p.closed_by"]).orderBy("p.period", "desc").execute();
  }
  /** Holds a worker's row FOR UPDATE on PostgreSQL: payouts to one worker check her balance one at a time. */
  async lockWorker(trx, workerId) {
    await sql10`select id from users where id = ${workerId} ${this.lock("update")}`.execute(trx);
  }
  lock(kind) {
    if (dialectOf(this.db) !== "postgres") return sql10``;
    return kind === "share" ? sql10`for share` : sql10`for update`;
  }
};

// src/core/pay/period.ts
var PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
function isPeriod(s) {
  return PERIOD_RE.test(s);
}
function periodOf(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
function parse(period2) {
  const m = PERIOD_RE.exec(period2);
  if (!m) throw new RangeError(`not a pay period: ${period2}`);
  return [Number(m[1]), Number(m[2]) - 1];
}
function periodRange(period2) {
  const [y, m] = parse(period2);
  return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
}
function nextPeriod(period2) {
  return periodOf(periodRange(period2).end);
}
function utcWeekStart(ms) {
  const day = Math.floor(ms / 864e5);
  const weekday = (day + 3) % 7;
  return (day - weekday) * 864e5;
}

// src/server/services/booking.ts
var MAX_PERIODS_AHEAD = 120;
async function bookingPeriod(ledger, trx, orgId, now, start = periodOf(now)) {
  let period2 = start;
  for (let i = 0; i < MAX_PERIODS_AHEAD; i++) {
    if (await ledger.periodStatusForBooking(trx, orgId, period2, now) === "open") return period2;
    period2 = nextPeriod(period2);
  }
  throw conflict("no_open_period", "Every pay period for the next ten years is closed.");
}

// src/server/services/acceptance.ts
var AnswerAcceptance = class {
  constructor(ledger) {
    this.ledger = ledger;
  }
  ledger;
  /**
   * Accepts an answer for pay and books its earning. Returns false when the answer is
   * rejected (nothing is paid); true when it is accepted, now or before. `accuracy` is
   * what decided it (gold score, OKS against the consensus), kept for the worker's page.
   */
  async accept(trx, project, annotationId, cause, now, accuracy = null) {
    const row = await trx.updateTable("annotations").set({
      accepted_at: sql11`coalesce(accepted_at, ${now})`,
      accuracy: accuracy === null ? sql11`accuracy` : sql11`case when accepted_at is null then ${accuracy} else accuracy end`
    }).where("id", "=", annotationId).where("status", "!=", "rejected").returning(["id", "worker_id", "project_id"]).executeTakeFirst();
    if (!row) return false;
    const period2 = await bookingPeriod(this.ledger, trx, project.org_id, now);
    await this.ledger.insert(trx, {
      org_id: project.org_id,
      worker_id: row.worker_id,
      project_id: row.project_id,
      annotation_id: row.id,
      kind: "earning",
      amount_fen: project.piece_rate_fen,
      period: period2,
      reason: cause,
      created_at: now,
      created_by: null
    });
    return true;
  }
  /**
   * Withdraws an acceptance: clears `accepted_at` and books one reversing entry for
   * the earning, if it was paid and not yet reversed. Call it after marking the answer
   * rejected, in the same transaction. Returns true when a reversal was booked.
   */
  async unaccept(trx, annotationId, reason, now, by = null) {
    await trx.updateTable("annotations").set({ accepted_at: null }).where("id", "=", annotationId).execute();
    const earning = await this.ledger.earningOf(trx, annotationId);
    if (!earning || earning.reversed_by !== null) return false;
    const period2 = await bookingPeriod(this.ledger, trx, earning.org_id, now);
    const booked = await this.ledger.insert(trx, {
      org_id: earning.org_id,
      worker_id: earning.worker_id,
      project_id: earning.project_id,
      annotation_id: annotationId,
      kind: "reversal",
      amount_fen: -earning.amount_fen,
      period: period2,
      reverses_id: earning.id,
      reason,
      created_at: now,
      created_by: by
    });
    return booked !== void 0;
  }
  /**
   * An item's consensus is final: accepts each answer that agrees with it within the
   * project's tolerance and notes every answer's agreement. An answer outside it stays
   * unpaid (a reviewer may still accept it); an answer already accepted keeps its
   * acceptance and the agreement that decided it.
   */
  async acceptAgreeing(trx, project, template, answers, consensus, now) {
    for (const a of answers) {
      const agreement = scoreGold(a.data, consensus, template).score;
      if (agreement >= project.accept_oks) await this.accept(trx, project, a.id, "consensus", now, agreement);
      else await this.noteAccuracy(trx, a.id, agreement);
    }
  }
  /** A gold answer was scored: accepted when it passes, otherwise unpaid with its score noted. */
  async judgeGold(trx, project, annotationId, score, now) {
    if (score >= project.accept_oks) return this.accept(trx, project, annotationId, "gold", now, score);
    await this.noteAccuracy(trx, annotationId, score);
    return false;
  }
  noteAccuracy(trx, annotationId, accuracy) {
    return trx.updateTable("annotations").set({ accuracy }).where("id", "=", annotationId).where("accepted_at", "is", null).execute();
  }
};
var instances = /* @__PURE__ */ new WeakMap();
function acceptanceFor(db) {
  let a = instances.get(db);
  if (!a) {
    a = new AnswerAcceptance(new LedgerRepository(db));
    instances.set(db, a);
  }
  return a;
}

// src/server/services/quality.service.ts
var ACCURACY_WINDOW = 20;
var WARN_AFTER = 3;
var QualityService = class {
  constructor(db, projects, items, assignments, quality, clock) {
    this.db = db;
    this.projects = projects;
    this.items = items;
    this.assignments = assignments;
    this.quality = quality;
    this.clock = clock;
  }
  db;
  projects;
  items;
  assignments;
  quality;
  clock;
  // --- gold ---------------------------------------------------------------------
  /**
   * Marks an item gold with a reference answer entered by a manager. The reference
   * must be complete: every point placed or listed in `notInImage` (400 `gold_incomplete`).
   */
  async setGold(actor, itemId, data, notInImage = []) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, "item");
    this.check(project, item, data);
    const incomplete = goldReferenceProblem(templateOf(project), data, notInImage);
    if (incomplete) throw badRequest("gold_incomplete", incomplete.message, { missing: incomplete.missing });
    await withTx(
      this.db,
      (trx) => this.quality.setGold(trx, item.id, project.id, JSON.stringify(data), "editor", actor.id, this.clock.now())
    );
    return { itemId: item.id, gold: true };
  }
  async unsetGold(actor, itemId) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, "item");
    await withTx(this.db, (trx) => this.quality.unsetGold(trx, item.id));
    return { itemId: item.id, gold: false };
  }
  /** The reference of a gold item, for managers only. */
  async getGold(actor, itemId) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, "item");
    const g = await this.quality.gold(item.id);
    if (!g) throw notFound("gold_answer");
    return { itemId: item.id, source: g.source, data: JSON.parse(g.data) };
  }
  /** Turns an item's consensus into its gold reference. */
  async promoteConsensus(actor, itemId) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, "item");
    const c = await this.quality.consensus(item.id);
    if (!c) throw conflict("no_consensus", "This item has no consensus yet.");
    await withTx(
      this.db,
      (trx) => this.quality.setGold(trx, item.id, project.id, c.data, "consensus", actor.id, this.clock.now())
    );
    return { itemId: item.id, gold: true };
  }
  /**
   * Imports gold references from a COCO keypoints file: images are matched to items
   * by `file_name`, annotations of the project's category become instances, crowd
   * regions and other declared categories are skipped and reported, and anything the
   * file does not declare is refused with where and why (core/coco-read.ts). An image
   * left with no instance is not made gold: an empty reference checks nothing. All or
   * nothing.
   */
  async importGoldCoco(actor, projectId, coco) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    const template = templateOf(project);
    const read = readCocoGold(coco, cocoCategory(template));
    if (read.problems.length > 0) {
      const [first] = read.problems;
      const more = read.problems.length > 1 ? ` (and ${read.problems.length - 1} more problems)` : "";
      throw badRequest(first.code, first.message + more, read.problems);
    }
    const names = read.images.map((i) => i.fileName);
    const dirty = names.find((n) => !isCleanText(n));
    if (dirty !== void 0) {
      throw badRequest("invalid_image", `The file name ${JSON.stringify(dirty)} holds a NUL character or broken Unicode.`);
    }
    const found = names.length ? await this.items.byNames(projectId, names) : [];
    const byName = new Map(found.map((i) => [i.name, i]));
    const plan = [];
    const unmatched = [];
    const empty = [];
    for (const { fileName, instances: instances2 } of read.images) {
      const item = byName.get(fileName);
      if (!item) unmatched.push(fileName);
      else if (instances2.length === 0) empty.push(fileName);
      else {
        const data = { instances: instances2 };
        const problems = checkAnnotation(template, item.width, item.height, data, project.max_instances);
        if (problems.length > 0)
          throw badRequest(problems[0].code, `${fileName}: ${problems.map((p) => p.message).join("; ")}`, problems);
        plan.push({ item, data });
      }
    }
    const now = this.clock.now();
    await withTx(this.db, async (trx) => {
      for (const p of plan)
        await this.quality.setGold(trx, p.item.id, projectId, JSON.stringify(p.data), "coco", actor.id, now);
    });
    return { marked: plan.length, unmatched, empty, skipped: read.skipped };
  }
  // --- during work ----------------------------------------------------------------
  /** Refuses a lease to a worker suspended in this project. */
  async assertNotSuspended(trx, projectId, workerId) {
    const s = await this.quality.standing(projectId, workerId, trx);
    if (s?.status === "suspended") {
      throw forbidden(
        "worker_suspended",
        "Your accuracy on check items fell too low; a manager must reinstate you for this project."
      );
    }
  }
  /** Chooses gold for this lease when the worker's share of gold is below the project's rate. */
  async wantsGold(trx, project, workerId) {
    if (project.gold_rate <= 0) return false;
    const c = await this.assignments.leaseCounts(trx, project.id, workerId);
    const rate2 = c.gold < project.min_gold ? Math.min(0.5, 2 * project.gold_rate) : project.gold_rate;
    return c.gold < rate2 * (c.total + 1);
  }
  /** Scores a gold submission and updates the worker's standing, in the submit's transaction. */
  async scoreInTx(trx, project, annotationId, itemId, workerId, data) {
    const gold = await this.quality.gold(itemId, trx);
    if (!gold) return;
    const template = templateOf(project);
    const result = scoreGold(data, JSON.parse(gold.data), template);
    const now = this.clock.now();
    await this.quality.insertScore(trx, {
      annotation_id: annotationId,
      project_id: project.id,
      item_id: itemId,
      worker_id: workerId,
      score: result.score,
      nme: result.nme,
      swapped: result.swapped ? 1 : 0,
      feedback: JSON.stringify(result.feedback),
      per_point: JSON.stringify(result.perPoint.map((x) => Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null)),
      created_at: now
    });
    await acceptanceFor(this.db).judgeGold(trx, project, annotationId, result.score, now);
    const prior = await this.quality.standing(project.id, workerId, trx);
    const goldCount = (prior?.gold_count ?? 0) + 1;
    const scores = await this.quality.recentScores(project.id, workerId, Math.min(goldCount, ACCURACY_WINDOW), trx);
    const accuracy = scores.reduce((s, r) => s + r.score, 0) / scores.length;
    let status = prior?.status === "suspended" ? "suspended" : "active";
    let reason = prior?.reason ?? null;
    if (status !== "suspended") {
      if (goldCount >= project.min_gold && accuracy < project.suspend_below) {
        status = "suspended";
        reason = "accuracy_below_suspension";
        await this.discardUnreviewedAnswers(trx, project, workerId);
      } else if (goldCount >= WARN_AFTER && accuracy < project.warn_below) {
        status = "warned";
        reason = "accuracy_below_warning";
      } else {
        reason = null;
      }
    }
    await this.quality.upsertStanding(trx, {
      project_id: project.id,
      worker_id: workerId,
      status,
      accuracy,
      gold_count: goldCount,
      reason,
      updated_at: now
    });
  }
  /**
   * When an item has its overlap: merges the answers, stores the consensus, and acts
   * on poor agreement (more overlap or review, by project setting); a share of items
   * is also sampled for review. Runs in the submit's transaction.
   */
  async onItemComplete(trx, project, itemId) {
    const answers = await this.quality.liveAnswers(itemId, trx);
    if (answers.length === 0) return;
    const template = templateOf(project);
    const parsed = answers.map((a) => JSON.parse(a.data));
    const weights = project.consensus_method === "weighted" ? await Promise.all(
      answers.map(
        async (a) => weightOf((await this.quality.standing(project.id, a.worker_id, trx))?.accuracy ?? null)
      )
    ) : void 0;
    const merged = consensusOf(parsed, template, weights);
    await this.quality.upsertConsensus(trx, {
      item_id: itemId,
      project_id: project.id,
      data: JSON.stringify(merged.data),
      agreement: merged.agreement,
      details: JSON.stringify(merged.details),
      submissions: answers.length,
      created_at: this.clock.now()
    });
    if (answers.length > 1 && merged.agreement < project.agreement_threshold) {
      if (project.low_agreement_action === "more_overlap") {
        await this.assignments.addOverlap(trx, itemId, project.overlap, 1);
        return;
      }
      if (project.low_agreement_action === "review") {
        await this.quality.setReviewState(trx, itemId, "flagged");
        return;
      }
    }
    if (project.review_rate > 0 && sampled(itemId, project.review_rate))
      await this.quality.setReviewState(trx, itemId, "sampled");
    const live = answers.map((a, k) => ({ id: a.id, data: parsed[k] }));
    await acceptanceFor(this.db).acceptAgreeing(trx, project, template, live, merged.data, this.clock.now());
  }
  /** An item's consensus with its agreement figures (staff and the client). */
  async itemConsensus(actor, itemId) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanView(actor, project, "item");
    const c = await this.quality.consensus(item.id);
    if (!c) throw notFound("consensus");
    return {
      itemId: item.id,
      data: JSON.parse(c.data),
      agreement: c.agreement,
      details: JSON.parse(c.details),
      submissions: c.submissions
    };
  }
  /**
   * A suspended worker's answers that nobody has accepted yet are not trusted: they
   * are rejected, their slots go back to the pool and affected consensus is dropped,
   * so other workers redo those items.
   */
  async discardUnreviewedAnswers(trx, project, workerId) {
    const rows4 = await this.quality.unreviewedAnswers(trx, project.id, workerId);
    for (const r of rows4) {
      await this.quality.setAnnotationStatus(trx, r.id, "rejected");
      await acceptanceFor(this.db).unaccept(trx, r.id, "worker_suspended", this.clock.now());
      await this.assignments.unsubmit(trx, r.item_id, project.overlap);
      await this.quality.deleteConsensus(trx, r.item_id);
    }
  }
  /**
   * Re-decides every consensus instance's categorical attributes with Dawid–Skene over
   * the whole project, which weighs each worker by how often they agree with the
   * inferred truth on that attribute.
   */
  async resolveProjectAttributes(actor, projectId) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    const rows4 = await this.quality.consensusRows(projectId);
    const observations = [];
    const answersByItem = /* @__PURE__ */ new Map();
    for (const c of rows4) {
      const answers = (await this.quality.liveAnswers(c.item_id)).map((a) => ({
        worker_id: a.worker_id,
        data: JSON.parse(a.data)
      }));
      answersByItem.set(c.item_id, answers);
      const details = JSON.parse(c.details);
      details.instances.forEach(
        (inst, k) => inst.members?.forEach((m, w) => {
          const attrs = m >= 0 ? answers[w]?.data.instances[m]?.attributes : void 0;
          for (const [key, value] of Object.entries(attrs ?? {}))
            observations.push({ instance: `${c.item_id}:${k}`, worker: answers[w].worker_id, key, value });
        })
      );
    }
    const resolved = resolveAttributes(observations);
    let changed = 0;
    await withTx(this.db, async (trx) => {
      for (const c of rows4) {
        const data = JSON.parse(c.data);
        let touched = false;
        data.instances.forEach((inst, k) => {
          const attrs = resolved.get(`${c.item_id}:${k}`);
          if (attrs && JSON.stringify(attrs) !== JSON.stringify(inst.attributes ?? {})) {
            inst.attributes = attrs;
            touched = true;
          }
        });
        if (touched) {
          changed++;
          await this.quality.upsertConsensus(trx, { ...c, data: JSON.stringify(data) });
        }
      }
    });
    return { items: rows4.length, observations: observations.length, changed };
  }
  // --- standing -------------------------------------------------------------------
  async reinstate(actor, projectId, workerId) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    const prior = await this.quality.standing(projectId, workerId);
    if (!prior) throw notFound("worker_standing");
    await withTx(
      this.db,
      (trx) => this.quality.upsertStanding(trx, {
        project_id: projectId,
        worker_id: workerId,
        status: "active",
        accuracy: null,
        // The rolling window starts again: a fresh run of gold decides from here.
        gold_count: 0,
        reason: "reinstated",
        updated_at: this.clock.now()
      })
    );
    return { workerId, status: "active" };
  }
  /** What a worker is told about their own quality: no reference coordinates, ever. */
  async myQuality(actor, projectId) {
    requireRole(actor, "worker");
    const project = await this.projects.get(projectId);
    if (!project || project.org_id !== actor.org_id) throw notFound("project");
    const s = await this.quality.standing(projectId, actor.id);
    const recent = await this.quality.recentScores(projectId, actor.id, 10);
    const rejections = await this.quality.rejectionsFor(actor.id, projectId);
    return {
      status: s?.status ?? "active",
      accuracy: s?.accuracy ?? null,
      checked: s?.gold_count ?? 0,
      thresholds: { warnBelow: project.warn_below, suspendBelow: project.suspend_below },
      feedback: recent.map((r) => ({
        score: Math.round(r.score * 100) / 100,
        problems: JSON.parse(r.feedback),
        at: new Date(r.created_at).toISOString()
      })),
      rejections: rejections.map((r) => ({
        itemId: r.item_id,
        reason: r.reason_code,
        comment: r.comment,
        at: new Date(r.created_at).toISOString()
      }))
    };
  }
  /** The quality page: workers, trends, hardest points, agreement distribution. */
  async stats(actor, projectId) {
    const project = await this.projects.get(projectId);
    assertCanView(actor, project);
    if (actor.role === "client") throw forbidden("role_not_allowed", "Quality figures are for the base\u2019s staff.");
    const template = templateOf(project);
    const workers = await this.quality.workerTable(projectId);
    const daily = await this.quality.dailyScores(projectId);
    const sums = new Float64Array(template.points.length);
    const counts = new Uint32Array(template.points.length);
    for (const r of await this.quality.perPointRows(projectId)) {
      JSON.parse(r.per_point).forEach((e, i) => {
        if (e !== null && i < sums.length) {
          sums[i] += e;
          counts[i]++;
        }
      });
    }
    const agreements = (await this.quality.agreements(projectId)).map((a) => a.agreement);
    const bins = new Array(10).fill(0);
    for (const a of agreements) bins[Math.min(9, Math.max(0, Math.floor(a * 10)))]++;
    return {
      workers: workers.map((w) => ({
        id: w.id,
        username: w.username,
        name: w.display_name,
        status: w.status,
        accuracy: w.accuracy,
        checked: w.gold_count,
        reason: w.reason
      })),
      trend: daily.map((d) => ({
        workerId: d.workerId,
        day: new Date(d.day * 864e5).toISOString().slice(0, 10),
        score: d.score,
        n: d.n
      })),
      pointError: template.points.map((p, i) => ({
        index: i,
        id: p.id,
        name: p.name,
        error: counts[i] ? sums[i] / counts[i] : null
      })),
      agreement: { bins: bins.map((n, i) => ({ from: i / 10, to: (i + 1) / 10, items: n })), items: agreements.length }
    };
  }
  // --- review ---------------------------------------------------------------------
  /** The next item for a reviewer, with each answer and the consensus. */
  async nextReview(actor, projectId) {
    requireRole(actor, "reviewer", "manager", "admin");
    const project = await this.projects.get(projectId);
    assertCanView(actor, project);
    const next = await this.quality.nextForReview(projectId, actor.id);
    if (!next) return null;
    const item = await this.items.get(next.id);
    const answers = await this.quality.liveAnswers(item.id);
    const c = await this.quality.consensus(item.id);
    return {
      item: { id: item.id, name: item.name, width: item.width, height: item.height, reason: next.review_state },
      imageUrl: `/api/items/${item.id}/image`,
      consensus: c ? { data: JSON.parse(c.data), agreement: c.agreement } : null,
      submissions: answers.map((a) => ({
        annotationId: a.id,
        workerId: a.worker_id,
        status: a.status,
        data: JSON.parse(a.data)
      }))
    };
  }
  /**
   * Accepts or rejects one answer. A rejected answer's slot goes back to the pool so
   * another worker redoes it, its consensus is dropped, and its worker sees the reason.
   */
  async review(actor, annotationId, verdict, reasonCode, comment) {
    requireRole(actor, "reviewer", "manager", "admin");
    const row = await this.db.selectFrom("annotations").selectAll().where("id", "=", annotationId).executeTakeFirst();
    const project = row && await this.projects.get(row.project_id);
    assertCanView(actor, project, "annotation");
    const ann = row;
    if (ann.worker_id === actor.id) throw forbidden("own_work", "Nobody reviews their own answers.");
    if (verdict === "reject" && !reasonCode) throw badRequest("reason_required", "A rejection needs a reason.");
    if (ann.status !== "submitted") throw conflict("already_reviewed", `This answer was already ${ann.status}.`);
    const now = this.clock.now();
    await withTx(this.db, async (trx) => {
      if (!await this.quality.decideAnnotation(trx, ann.id, verdict === "accept" ? "accepted" : "rejected")) {
        throw conflict("already_reviewed", "This answer was already reviewed.");
      }
      await this.quality.insertReview(trx, {
        project_id: ann.project_id,
        item_id: ann.item_id,
        annotation_id: ann.id,
        reviewer_id: actor.id,
        verdict,
        reason_code: reasonCode,
        comment,
        created_at: now
      });
      if (verdict === "accept") await acceptanceFor(this.db).accept(trx, project, ann.id, "review", now);
      else await acceptanceFor(this.db).unaccept(trx, ann.id, `review:${reasonCode}`, now, actor.id);
      if (verdict === "reject") {
        await this.assignments.unsubmit(trx, ann.item_id, project.overlap);
        await this.quality.deleteConsensus(trx, ann.item_id);
      }
      const open = (await this.quality.liveAnswers(ann.item_id, trx)).some((a) => a.status === "submitted");
      if (!open) await this.quality.setReviewState(trx, ann.item_id, "reviewed");
    });
    return { annotationId, verdict };
  }
  /**
   * An item and its project for the access check, which runs before the item is used:
   * a missing item has no project, so it answers exactly like another's item.
   */
  async itemAndProject(itemId) {
    const item = await this.items.get(itemId);
    return { item, project: item && await this.projects.get(item.project_id) };
  }
  check(project, item, data) {
    const problems = checkAnnotation(templateOf(project), item.width, item.height, data, project.max_instances);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join("; "), problems);
  }
};
function weightOf(accuracy) {
  const a = Math.min(0.99, Math.max(0.01, accuracy ?? 0.5));
  return 1 / -Math.log(a);
}
function sampled(itemId, rate2) {
  const h = Math.imul(itemId ^ 2654435769, 2246822507) >>> 0;
  return h / 2 ** 32 < rate2;
}
function consensusOf(answers, template, weights) {
  const r = mergeAnswers(
    answers.map((a) => a.instances),
    template,
    weights ? { weights, method: "geometric-median", weightQuorum: 0.5 } : {}
  );
  return {
    data: {
      instances: r.instances.map((i) => {
        const attributes = mergeAttributes(
          i.members.map((m, w) => m >= 0 ? answers[w].instances[m]?.attributes : void 0),
          weights
        );
        return Object.keys(attributes).length ? { bbox: i.bbox, points: i.points, attributes } : { bbox: i.bbox, points: i.points };
      })
    },
    agreement: r.agreement,
    details: {
      instances: r.instances.map((i) => ({
        members: i.members,
        oks: i.agreement.oks,
        support: i.agreement.support,
        perPoint: i.agreement.perPoint.map((x) => Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null)
      })),
      unmerged: r.unmerged.length
    }
  };
}

// src/server/repositories/quality.repository.ts
import { sql as sql12 } from "kysely";
var QualityRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  // --- gold ---------------------------------------------------------------------
  async setGold(trx, itemId, projectId, data, source, by, now) {
    await trx.deleteFrom("gold_answers").where("item_id", "=", itemId).execute();
    await trx.insertInto("gold_answers").values({ item_id: itemId, project_id: projectId, data, source, created_by: by, created_at: now }).execute();
    await trx.updateTable("items").set({ is_gold: 1 }).where("id", "=", itemId).execute();
  }
  async unsetGold(trx, itemId) {
    await trx.deleteFrom("gold_answers").where("item_id", "=", itemId).execute();
    await trx.updateTable("items").set({ is_gold: 0 }).where("id", "=", itemId).execute();
  }
  gold(itemId, executor = this.db) {
    return executor.selectFrom("gold_answers").selectAll().where("item_id", "=", itemId).executeTakeFirst();
  }
  insertScore(trx, values) {
    return trx.insertInto("gold_scores").values(values).onConflict((oc) => oc.column("annotation_id").doNothing()).execute();
  }
  /** A worker's latest gold scores in a project, newest first. */
  recentScores(projectId, workerId, limit, executor = this.db) {
    return executor.selectFrom("gold_scores").select(["score", "swapped", "feedback", "created_at"]).where("project_id", "=", projectId).where("worker_id", "=", workerId).orderBy("id", "desc").limit(limit).execute();
  }
  // --- standing -------------------------------------------------------------------
  standing(projectId, workerId, executor = this.db) {
    return executor.selectFrom("worker_standing").selectAll().where("project_id", "=", projectId).where("worker_id", "=", workerId).executeTakeFirst();
  }
  upsertStanding(trx, values) {
    return trx.insertInto("worker_standing").values(values).onConflict(
      (oc) => oc.columns(["project_id", "worker_id"]).doUpdateSet({
        status: values.status,
        accuracy: values.accuracy,
        gold_count: values.gold_count,
        reason: values.reason,
        updated_at: values.updated_at
      })
    ).execute();
  }
  /** Per worker of a project: standing and gold figures, for the quality page. */
  workerTable(projectId) {
    return this.db.selectFrom("users").innerJoin(
      "worker_standing as s",
      (j) => j.onRef("s.worker_id", "=", "users.id").on("s.project_id", "=", projectId)
    ).select([
      "users.id",
      "users.username",
      "users.display_name",
      "s.status",
      "s.accuracy",
      "s.gold_count",
      "s.reason",
      "s.updated_at"
    ]).orderBy("s.accuracy").execute();
  }
  /** Daily mean gold score per worker (UTC days), for trends. */
  async dailyScores(projectId) {
    const day = sql12`(created_at / 86400000)`;
    const rows4 = await this.db.selectFrom("gold_scores").select((eb) => [
      "worker_id",
      day.as("day"),
      eb.fn.avg("score").as("score"),
      eb.fn.countAll().as("n")
    ]).where("project_id", "=", projectId).groupBy(["worker_id", day]).orderBy("worker_id").orderBy(day).execute();
    return rows4.map((r) => ({
      workerId: r.worker_id,
      day: Math.floor(Number(r.day)),
      score: Number(r.score),
      n: Number(r.n)
    }));
  }
  /** Per-point error lists of a project's gold scores, for "which landmarks are hardest". */
  perPointRows(projectId, limit = 5e3) {
    return this.db.selectFrom("gold_scores").select("per_point").where("project_id", "=", projectId).where("per_point", "is not", null).orderBy("id", "desc").limit(limit).execute();
  }
  // --- consensus ------------------------------------------------------------------
  upsertConsensus(trx, values) {
    return trx.insertInto("consensus").values(values).onConflict(
      (oc) => oc.column("item_id").doUpdateSet({
        data: values.data,
        agreement: values.agreement,
        details: values.details,
        submissions: values.submissions,
        created_at: values.created_at
      })
    ).execute();
  }
  consensus(itemId, executor = this.db) {
    return executor.selectFrom("consensus").selectAll().where("item_id", "=", itemId).executeTakeFirst();
  }
  deleteConsensus(trx, itemId) {
    return trx.deleteFrom("consensus").where("item_id", "=", itemId).execute();
  }
  consensusRows(projectId) {
    return this.db.selectFrom("consensus").selectAll().where("project_id", "=", projectId).orderBy("item_id").execute();
  }
  agreements(projectId) {
    return this.db.selectFrom("consensus").select("agreement").where("project_id", "=", projectId).execute();
  }
  /** Stored answers of an item that still count (not rejected), oldest first. */
  liveAnswers(itemId, executor = this.db) {
    return executor.selectFrom("annotations").select(["id", "worker_id", "data", "status"]).where("item_id", "=", itemId).where("status", "!=", "rejected").orderBy("id").execute();
  }
  /** A worker's answers on regular items that no reviewer has accepted. */
  unreviewedAnswers(trx, projectId, workerId) {
    return trx.selectFrom("annotations").innerJoin("items", "items.id", "annotations.item_id").select(["annotations.id", "annotations.item_id"]).where("annotations.project_id", "=", projectId).where("annotations.worker_id", "=", workerId).where("annotations.status", "=", "submitted").where("items.is_gold", "=", 0).execute();
  }
  // --- review ---------------------------------------------------------------------
  setReviewState(trx, itemId, state) {
    return trx.updateTable("items").set({ review_state: state }).where("id", "=", itemId).execute();
  }
  /** The next item waiting for review: flagged ones first, then sampled, oldest first. */
  async nextForReview(projectId, reviewerId) {
    const row = await this.db.selectFrom("items").select(["id", "review_state"]).where("project_id", "=", projectId).where("review_state", "in", ["flagged", "sampled"]).where(
      (eb) => eb.not(
        eb.exists(
          eb.selectFrom("annotations").select("annotations.id").whereRef("annotations.item_id", "=", "items.id").where("annotations.worker_id", "=", reviewerId)
        )
      )
    ).orderBy(sql12`case when review_state = 'flagged' then 0 else 1 end`).orderBy("id").limit(1).executeTakeFirst();
    return row;
  }
  insertReview(trx, values) {
    return trx.insertInto("reviews").values(values).returning(["id"]).executeTakeFirstOrThrow();
  }
  /** A reviewer's verdict on an undecided answer; false when it was already decided. */
  async decideAnnotation(trx, annotationId, status) {
    const res = await trx.updateTable("annotations").set({ status }).where("id", "=", annotationId).where("status", "=", "submitted").executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  setAnnotationStatus(trx, annotationId, status) {
    return trx.updateTable("annotations").set({ status }).where("id", "=", annotationId).execute();
  }
  /** Reviews of a worker's answers that were rejected, newest first: what the worker is told. */
  rejectionsFor(workerId, projectId, limit = 20) {
    return this.db.selectFrom("reviews").innerJoin("annotations", "annotations.id", "reviews.annotation_id").select(["reviews.id", "reviews.item_id", "reviews.reason_code", "reviews.comment", "reviews.created_at"]).where("annotations.worker_id", "=", workerId).where("reviews.project_id", "=", projectId).where("reviews.verdict", "=", "reject").orderBy("reviews.id", "desc").limit(limit).execute();
  }
};

// src/server/repositories/report.repository.ts
import { sql as sql13 } from "kysely";
var dayOf = (column) => sql13`${sql13.ref(column)} / 86400000`;
var ReportRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** Every worker (role `worker`) of the organisation, with her first answer ever. */
  async workers(orgId) {
    const rows4 = await this.db.selectFrom("users").select((eb) => [
      "users.id",
      "users.display_name",
      "users.consent_named",
      "users.household",
      "users.county",
      "users.township",
      "users.village",
      "users.start_date",
      "users.end_date",
      // Her first stored answer, found through the (worker_id, id) index rather than by
      // scanning all her answers for the smallest time: answers are stored as they come.
      eb.selectFrom("annotations").select("annotations.created_at").whereRef("annotations.worker_id", "=", "users.id").orderBy("annotations.id").limit(1).as("first_activity_at")
    ]).where("users.org_id", "=", orgId).where("users.role", "=", "worker").orderBy("users.id").execute();
    return rows4.map((r) => ({
      id: r.id,
      name: r.display_name,
      consentNamed: Number(r.consent_named) === 1,
      household: r.household,
      county: r.county,
      township: r.township,
      village: r.village,
      startDate: r.start_date,
      endDate: r.end_date,
      firstActivityAt: r.first_activity_at === null ? null : Number(r.first_activity_at)
    }));
  }
  /** Answers and active time per worker and day, for answers submitted in [fromMs, toMs). */
  async days(orgId, fromMs, toMs) {
    const day = dayOf("annotations.created_at");
    const rows4 = await this.db.selectFrom("annotations").innerJoin("users", "users.id", "annotations.worker_id").select((eb) => [
      "annotations.worker_id",
      day.as("day"),
      eb.fn.countAll().as("items"),
      eb.fn.sum("annotations.active_ms").as("active_ms")
    ]).where("users.org_id", "=", orgId).where("users.role", "=", "worker").where("annotations.created_at", ">=", fromMs).where("annotations.created_at", "<", toMs).groupBy(["annotations.worker_id", day]).execute();
    return rows4.map((r) => ({
      workerId: r.worker_id,
      day: Number(r.day),
      items: Number(r.items),
      activeMs: Number(r.active_ms ?? 0)
    }));
  }
  /**
   * Acceptances per worker and day, for answers accepted in [fromMs, toMs). An answer
   * rejected after all (its acceptance reversed) no longer counts.
   */
  async accepted(orgId, fromMs, toMs) {
    const day = dayOf("annotations.accepted_at");
    const rows4 = await this.db.selectFrom("annotations").innerJoin("users", "users.id", "annotations.worker_id").select((eb) => ["annotations.worker_id", day.as("day"), eb.fn.countAll().as("accepted")]).where("users.org_id", "=", orgId).where("users.role", "=", "worker").where("annotations.accepted_at", ">=", fromMs).where("annotations.accepted_at", "<", toMs).where("annotations.status", "<>", "rejected").groupBy(["annotations.worker_id", day]).execute();
    return rows4.map((r) => ({ workerId: r.worker_id, day: Number(r.day), accepted: Number(r.accepted) }));
  }
  /**
   * Net pay per worker and pay period from `fromPeriod` to `toPeriod`: every entry but
   * payouts, and but the reversal of a payout (money paid out is not income twice).
   */
  async income(orgId, fromPeriod, toPeriod) {
    const rows4 = await this.db.selectFrom("ledger_entries as e").innerJoin("users", "users.id", "e.worker_id").leftJoin("ledger_entries as reversed", "reversed.id", "e.reverses_id").select((eb) => ["e.worker_id", "e.period", eb.fn.sum("e.amount_fen").as("amount")]).where("e.org_id", "=", orgId).where("users.role", "=", "worker").where("e.kind", "<>", "payout").where((eb) => eb.or([eb("reversed.kind", "is", null), eb("reversed.kind", "<>", "payout")])).where("e.period", ">=", fromPeriod).where("e.period", "<=", toPeriod).groupBy(["e.worker_id", "e.period"]).execute();
    return rows4.map((r) => ({ workerId: r.worker_id, period: r.period, amountFen: Number(r.amount ?? 0) }));
  }
  /** The whole household status list, retired codes included (people may still hold them). */
  async householdStatuses() {
    const rows4 = await this.db.selectFrom("household_statuses").selectAll().orderBy("sort").orderBy("code").execute();
    return rows4.map((r) => ({
      code: r.code,
      labelZh: r.label_zh,
      labelEn: r.label_en,
      sort: Number(r.sort),
      active: Number(r.active) === 1
    }));
  }
};

// src/core/api/report.schema.ts
import { z as z5 } from "zod";

// src/core/report/months.ts
var MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
var DAY_MS = 864e5;
function isMonth(s) {
  const m = MONTH.exec(s);
  return m !== null && Number(m[1]) >= 2e3 && Number(m[1]) <= 2999;
}
function parts(month2) {
  const m = MONTH.exec(month2);
  if (!m) throw new RangeError(`not a month: ${month2}`);
  return [Number(m[1]), Number(m[2])];
}
function fromIndex(index) {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}
function toIndex(month2) {
  const [y, m] = parts(month2);
  return y * 12 + m - 1;
}
function addMonths(month2, n) {
  return fromIndex(toIndex(month2) + n);
}
function monthRange(from, to) {
  const out = [];
  for (let i = toIndex(from), end = toIndex(to); i <= end; i++) out.push(fromIndex(i));
  return out;
}
function monthCount(from, to) {
  return toIndex(to) - toIndex(from) + 1;
}
function monthStartMs(month2) {
  const [y, m] = parts(month2);
  return Date.UTC(y, m - 1, 1);
}
function monthEndMs(month2) {
  return monthStartMs(addMonths(month2, 1));
}
function monthOfMs(ms) {
  return new Date(ms).toISOString().slice(0, 7);
}
function monthOfDay(day) {
  return monthOfMs(day * DAY_MS);
}
function monthOfDate(date) {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
  const month2 = date.slice(0, 7);
  return isMonth(month2) ? month2 : null;
}

// src/core/api/report.schema.ts
var MAX_REPORT_MONTHS = 60;
var month = z5.string().refine(isMonth, { message: "must be a month 'YYYY-MM'" });
var employmentQuery = z5.object({
  month: month.optional(),
  from: month.optional(),
  to: month.optional(),
  trendMonths: z5.coerce.number().int().min(1).max(MAX_REPORT_MONTHS).default(12),
  lang: z5.enum(["zh-CN", "en"]).default("zh-CN")
});
var figures = z5.object({
  workers: z5.number(),
  newWorkers: z5.number(),
  activeWorkers: z5.number(),
  leavingWorkers: z5.number(),
  activeDays: z5.number(),
  hours: z5.number(),
  items: z5.number(),
  accepted: z5.number(),
  incomeFen: z5.number(),
  incomePerWorkerFen: z5.number().nullable(),
  incomePerHourFen: z5.number().nullable()
});
var group = {
  suppressed: z5.boolean(),
  workers: z5.union([z5.number(), z5.literal("<3")]),
  figures: figures.nullable()
};
var breakdown = (row) => z5.object({
  rows: z5.array(row),
  smallGroups: z5.object({ groups: z5.number(), ...group }).nullable(),
  total: figures
});
var retentionCell = z5.object({
  month: z5.string(),
  observed: z5.boolean(),
  retained: z5.number().nullable(),
  rate: z5.number().nullable()
});
var retentionSum = z5.object({ size: z5.number(), retained: z5.number(), rate: z5.number().nullable() });
var headline = retentionCell.extend({ cohort: z5.string(), size: z5.number() });
var employmentReportResponse = z5.object({
  period: z5.object({ from: z5.string(), to: z5.string(), months: z5.array(z5.string()) }),
  trendMonths: z5.array(z5.string()),
  minGroupSize: z5.number(),
  summary: figures,
  retention: z5.object({ after3: headline, after6: headline }),
  householdStatuses: z5.array(z5.object({ code: z5.string(), labelZh: z5.string(), labelEn: z5.string() })),
  byHousehold: breakdown(z5.object({ code: z5.string(), labelZh: z5.string(), labelEn: z5.string(), ...group })),
  byArea: breakdown(z5.object({ county: z5.string().nullable(), township: z5.string().nullable(), ...group })),
  trend: z5.array(figures.extend({ month: z5.string() })),
  trendTotal: figures.pick({
    newWorkers: true,
    leavingWorkers: true,
    activeDays: true,
    hours: true,
    items: true,
    accepted: true,
    incomeFen: true,
    incomePerHourFen: true
  }),
  workers: z5.object({
    named: z5.array(
      z5.object({
        id: z5.number(),
        name: z5.string(),
        household: z5.string().nullable(),
        county: z5.string().nullable(),
        township: z5.string().nullable(),
        village: z5.string().nullable(),
        startDate: z5.string().nullable(),
        endDate: z5.string().nullable(),
        figures
      })
    ),
    unnamed: z5.object({ count: z5.number(), figures }),
    total: figures
  }),
  cohorts: z5.object({
    rows: z5.array(z5.object({ cohort: z5.string(), size: z5.number(), after3: retentionCell, after6: retentionCell })),
    total: z5.object({ size: z5.number(), after3: retentionSum, after6: retentionSum })
  })
});

// src/core/report/employment-types.ts
var SMALL_GROUP = "<3";
var MIN_GROUP_SIZE = 3;

// src/core/report/figures.ts
var emptyTally = () => ({
  workers: 0,
  newWorkers: 0,
  activeWorkers: 0,
  leavingWorkers: 0,
  activeDays: 0,
  centiHours: 0,
  items: 0,
  accepted: 0,
  incomeFen: 0
});
function addTally(a, b) {
  a.workers += b.workers;
  a.newWorkers += b.newWorkers;
  a.activeWorkers += b.activeWorkers;
  a.leavingWorkers += b.leavingWorkers;
  a.activeDays += b.activeDays;
  a.centiHours += b.centiHours;
  a.items += b.items;
  a.accepted += b.accepted;
  a.incomeFen += b.incomeFen;
  return a;
}
var centiHoursOf = (activeMs) => Math.round(activeMs / 36e3);
var perHour = (fen, centiHours) => centiHours > 0 ? Math.round(fen * 100 / centiHours) : null;
function figuresOf(t) {
  return {
    workers: t.workers,
    newWorkers: t.newWorkers,
    activeWorkers: t.activeWorkers,
    leavingWorkers: t.leavingWorkers,
    activeDays: t.activeDays,
    hours: t.centiHours / 100,
    items: t.items,
    accepted: t.accepted,
    incomeFen: t.incomeFen,
    incomePerWorkerFen: t.activeWorkers > 0 ? Math.round(t.incomeFen / t.activeWorkers) : null,
    incomePerHourFen: perHour(t.incomeFen, t.centiHours)
  };
}
function flowFiguresOf(t) {
  return {
    newWorkers: t.newWorkers,
    leavingWorkers: t.leavingWorkers,
    activeDays: t.activeDays,
    hours: t.centiHours / 100,
    items: t.items,
    accepted: t.accepted,
    incomeFen: t.incomeFen,
    incomePerHourFen: perHour(t.incomeFen, t.centiHours)
  };
}

// src/core/report/privacy.ts
function guardGroup(t, min) {
  if (t.workers > 0 && t.workers < min) return { suppressed: true, workers: SMALL_GROUP, figures: null };
  return { suppressed: false, workers: t.workers, figures: figuresOf(t) };
}
function breakdown2(groups, total, min) {
  const small = emptyTally();
  let smallCount = 0;
  const rows4 = groups.map(({ base, tally }) => {
    const guarded = guardGroup(tally, min);
    if (guarded.suppressed) {
      addTally(small, tally);
      smallCount++;
    }
    return { ...base, ...guarded };
  });
  return {
    rows: rows4,
    smallGroups: smallCount === 0 ? null : { groups: smallCount, ...guardGroup(small, min) },
    total: figuresOf(total)
  };
}

// src/core/report/retention.ts
var rate = (retained, size) => size > 0 ? retained / size : null;
function cell(members, month2, last) {
  if (month2 > last) return { month: month2, observed: false, retained: null, rate: null };
  const retained = members.filter((h) => h.active(month2)).length;
  return { month: month2, observed: true, retained, rate: rate(retained, members.length) };
}
function cohortRetention(histories, cohort, last) {
  const members = histories.filter((h) => h.startMonth === cohort);
  return {
    cohort,
    size: members.length,
    after3: cell(members, addMonths(cohort, 3), last),
    after6: cell(members, addMonths(cohort, 6), last)
  };
}
function retentionTotal(rows4) {
  const sum = (pick) => {
    let size = 0;
    let retained = 0;
    for (const r of rows4) {
      const c = pick(r);
      if (!c.observed) continue;
      size += r.size;
      retained += c.retained ?? 0;
    }
    return { size, retained, rate: rate(retained, size) };
  };
  return {
    size: rows4.reduce((s, r) => s + r.size, 0),
    after3: sum((r) => r.after3),
    after6: sum((r) => r.after6)
  };
}

// src/core/report/worker-history.ts
var emptyFacts = () => ({ days: /* @__PURE__ */ new Set(), activeMs: 0, items: 0, accepted: 0, incomeFen: 0 });
var WorkerHistory = class {
  constructor(worker) {
    this.worker = worker;
    this.startMonth = monthOfDate(worker.startDate) ?? (worker.firstActivityAt === null ? null : monthOfMs(worker.firstActivityAt));
    this.endMonth = monthOfDate(worker.endDate);
  }
  worker;
  startMonth;
  endMonth;
  months = /* @__PURE__ */ new Map();
  facts(month2) {
    let f = this.months.get(month2);
    if (!f) this.months.set(month2, f = emptyFacts());
    return f;
  }
  addDay(d) {
    const f = this.facts(monthOfDay(d.day));
    f.days.add(d.day);
    f.items += d.items;
    f.activeMs += d.activeMs;
  }
  addAccepted(a) {
    this.facts(monthOfDay(a.day)).accepted += a.accepted;
  }
  addIncome(i) {
    this.facts(i.period).incomeFen += i.amountFen;
  }
  active(month2) {
    return (this.months.get(month2)?.days.size ?? 0) > 0;
  }
  employed(month2) {
    const f = this.months.get(month2);
    if (f && (f.days.size > 0 || f.accepted > 0 || f.incomeFen !== 0)) return true;
    if (this.startMonth === null || this.startMonth > month2) return false;
    return this.endMonth === null || this.endMonth >= month2;
  }
  /** Her tally over `months` (one worker), or null when she was not employed in any of them. */
  tally(months) {
    if (!months.some((m) => this.employed(m))) return null;
    const t = emptyTally();
    t.workers = 1;
    t.newWorkers = this.startMonth !== null && months.includes(this.startMonth) ? 1 : 0;
    t.leavingWorkers = this.endMonth !== null && months.includes(this.endMonth) ? 1 : 0;
    t.activeWorkers = months.some((m) => this.active(m)) ? 1 : 0;
    for (const m of months) {
      const f = this.months.get(m);
      if (!f) continue;
      t.activeDays += f.days.size;
      t.centiHours += centiHoursOf(f.activeMs);
      t.items += f.items;
      t.accepted += f.accepted;
      t.incomeFen += f.incomeFen;
    }
    return t;
  }
};
function buildHistories(workers, days, accepted, income) {
  const byId = new Map(workers.map((w) => [w.id, new WorkerHistory(w)]));
  for (const d of days) byId.get(d.workerId)?.addDay(d);
  for (const a of accepted) byId.get(a.workerId)?.addAccepted(a);
  for (const i of income) byId.get(i.workerId)?.addIncome(i);
  return [...byId.values()];
}
function sumTallies(histories, months) {
  const total = emptyTally();
  for (const h of histories) {
    const t = h.tally(months);
    if (t) addTally(total, t);
  }
  return total;
}

// src/core/report/employment.ts
var collator = new Intl.Collator("zh-Hans-CN");
function compareText(a, b) {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return collator.compare(a, b);
}
function employmentReport(input) {
  const { from, to } = input;
  const trendFrom = input.trendFrom ?? from;
  for (const m of [from, to, trendFrom]) if (!isMonth(m)) throw new RangeError(`not a month: ${m}`);
  if (from > to) throw new RangeError(`the period starts (${from}) after it ends (${to})`);
  if (trendFrom > from) throw new RangeError(`the trend starts (${trendFrom}) after the period (${from})`);
  const min = input.minGroupSize ?? MIN_GROUP_SIZE;
  const months = monthRange(from, to);
  const trendMonths = monthRange(trendFrom, to);
  const histories = buildHistories(input.workers, input.days, input.accepted, input.income);
  const employed = [];
  for (const h of histories) {
    const t = h.tally(months);
    if (t) employed.push({ h, t });
  }
  const total = employed.reduce((sum, e) => addTally(sum, e.t), emptyTally());
  const trend = trendMonths.map((month2) => ({ month: month2, ...figuresOf(sumTallies(histories, [month2])) }));
  const trendTotal = flowFiguresOf(
    trendMonths.reduce((sum, m) => addTally(sum, sumTallies(histories, [m])), emptyTally())
  );
  const cohortRows = trendMonths.map((c) => cohortRetention(histories, c, to));
  const headline2 = (k) => {
    const row = cohortRetention(histories, addMonths(to, -k), to);
    return { cohort: row.cohort, size: row.size, ...k === 3 ? row.after3 : row.after6 };
  };
  return {
    period: { from, to, months },
    trendMonths,
    minGroupSize: min,
    summary: figuresOf(total),
    retention: { after3: headline2(3), after6: headline2(6) },
    householdStatuses: [...input.householdStatuses].sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code)).map(({ code, labelZh, labelEn }) => ({ code, labelZh, labelEn })),
    byHousehold: byHousehold(input, employed, total, min),
    byArea: byArea(employed, total, min),
    trend,
    trendTotal,
    workers: workerRows(employed, total),
    cohorts: { rows: cohortRows, total: retentionTotal(cohortRows) }
  };
}
function byHousehold(input, employed, total, min) {
  const groups = /* @__PURE__ */ new Map();
  const statuses = [...input.householdStatuses].sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  for (const s of statuses) {
    if (s.active)
      groups.set(s.code, { base: { code: s.code, labelZh: s.labelZh, labelEn: s.labelEn }, tally: emptyTally() });
  }
  const labels = new Map(statuses.map((s) => [s.code, s]));
  for (const { h, t } of employed) {
    const code = h.worker.household ?? "";
    let g = groups.get(code);
    if (!g) {
      const s = labels.get(code);
      g = {
        base: { code, labelZh: s?.labelZh ?? (code || "\u672A\u586B\u5199"), labelEn: s?.labelEn ?? (code || "Not given") },
        tally: emptyTally()
      };
      groups.set(code, g);
    }
    addTally(g.tally, t);
  }
  return breakdown2([...groups.values()], total, min);
}
function byArea(employed, total, min) {
  const groups = /* @__PURE__ */ new Map();
  for (const { h, t } of employed) {
    const county = h.worker.county?.trim() || null;
    const township = h.worker.township?.trim() || null;
    const key = JSON.stringify([county, township]);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { base: { county, township }, tally: emptyTally() });
    addTally(g.tally, t);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => compareText(a.base.county, b.base.county) || compareText(a.base.township, b.base.township)
  );
  return breakdown2(ordered, total, min);
}
function workerRows(employed, total) {
  const named = [];
  const unnamed = emptyTally();
  for (const { h, t } of employed) {
    const w = h.worker;
    if (!w.consentNamed) {
      addTally(unnamed, t);
      continue;
    }
    named.push({
      id: w.id,
      name: w.name,
      household: w.household,
      county: w.county,
      township: w.township,
      village: w.village,
      startDate: w.startDate,
      endDate: w.endDate,
      figures: figuresOf(t)
    });
  }
  named.sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
  return { named, unnamed: { count: unnamed.workers, figures: figuresOf(unnamed) }, total: figuresOf(total) };
}

// src/core/report/labels.ts
var zh = {
  "sheet.summary": "\u6982\u51B5",
  "sheet.household": "\u6309\u6237\u7C4D\u7C7B\u522B",
  "sheet.area": "\u6309\u53BF\u4E61",
  "sheet.trend": "\u6708\u5EA6\u8D8B\u52BF",
  "sheet.workers": "\u4EBA\u5458\u660E\u7EC6",
  "sheet.retention": "\u7559\u5B58",
  title: "\u5C31\u4E1A\u62A5\u544A {period}",
  "col.item": "\u9879\u76EE",
  "col.value": "\u6570\u503C",
  "col.household": "\u6237\u7C4D\u7C7B\u522B",
  "col.county": "\u53BF",
  "col.township": "\u4E61\u9547",
  "col.village": "\u6751",
  "col.month": "\u6708\u4EFD",
  "col.name": "\u59D3\u540D",
  "col.startDate": "\u5165\u804C\u65E5\u671F",
  "col.endDate": "\u79BB\u804C\u65E5\u671F",
  "col.workers": "\u5728\u5C97\u4EBA\u6570",
  "col.newWorkers": "\u65B0\u589E",
  "col.activeWorkers": "\u6D3B\u8DC3",
  "col.leavingWorkers": "\u79BB\u5F00",
  "col.activeDays": "\u5DE5\u4F5C\u5929\u6570",
  "col.hours": "\u6709\u6548\u5DE5\u65F6\uFF08\u5C0F\u65F6\uFF09",
  "col.items": "\u5B8C\u6210\u6761\u6570",
  "col.accepted": "\u5408\u683C\u6761\u6570",
  "col.income": "\u6536\u5165\uFF08\u5143\uFF09",
  "col.incomePerWorker": "\u4EBA\u5747\u6536\u5165\uFF08\u5143\uFF09",
  "col.incomePerHour": "\u65F6\u5747\u6536\u5165\uFF08\u5143/\u5C0F\u65F6\uFF09",
  "col.cohort": "\u5165\u804C\u6708\u4EFD",
  "col.cohortSize": "\u5165\u804C\u4EBA\u6570",
  "col.after3Month": "3\u4E2A\u6708\u540E",
  "col.after3": "3\u4E2A\u6708\u540E\u4ECD\u6D3B\u8DC3",
  "col.after3Rate": "3\u4E2A\u6708\u7559\u5B58\u7387",
  "col.after6Month": "6\u4E2A\u6708\u540E",
  "col.after6": "6\u4E2A\u6708\u540E\u4ECD\u6D3B\u8DC3",
  "col.after6Rate": "6\u4E2A\u6708\u7559\u5B58\u7387",
  "row.period": "\u7EDF\u8BA1\u671F\u95F4",
  "row.total": "\u5408\u8BA1",
  "row.smallGroups": "\u4E0D\u8DB3{min}\u4EBA\u7684\u7EC4\u5408\u8BA1\uFF08{groups}\u7EC4\uFF09",
  "row.unnamed": "\u672A\u5177\u540D {n} \u4EBA",
  "row.notGiven": "\u672A\u586B\u5199",
  "row.retention3": "3\u4E2A\u6708\u7559\u5B58\u7387\uFF08{cohort}\u5165\u804C\uFF0C{size}\u4EBA\uFF09",
  "row.retention6": "6\u4E2A\u6708\u7559\u5B58\u7387\uFF08{cohort}\u5165\u804C\uFF0C{size}\u4EBA\uFF09",
  "note.privacy": "\u4E0D\u8DB3{min}\u4EBA\u7684\u7EC4\u53EA\u663E\u793A\u201C<3\u201D\uFF1B\u5408\u8BA1\u5305\u542B\u6240\u6709\u4EBA\u3002\u672A\u540C\u610F\u5177\u540D\u7684\u4EBA\u5458\u53EA\u8BA1\u5165\u201C\u672A\u5177\u540D\u201D\u884C\u3002",
  "note.trendTotal": "\u5408\u8BA1\u884C\u53EA\u52A0\u603B\u53EF\u7D2F\u52A0\u7684\u6570\uFF08\u65B0\u589E\u3001\u79BB\u5F00\u3001\u5929\u6570\u3001\u5DE5\u65F6\u3001\u6761\u6570\u3001\u6536\u5165\uFF09\uFF1B\u4EBA\u6570\u89C1\u5404\u6708\u3002"
};
var en = {
  "sheet.summary": "Summary",
  "sheet.household": "By household status",
  "sheet.area": "By county and township",
  "sheet.trend": "Monthly trend",
  "sheet.workers": "Workers",
  "sheet.retention": "Retention",
  title: "Employment report {period}",
  "col.item": "Figure",
  "col.value": "Value",
  "col.household": "Household status",
  "col.county": "County",
  "col.township": "Township",
  "col.village": "Village",
  "col.month": "Month",
  "col.name": "Name",
  "col.startDate": "Start date",
  "col.endDate": "End date",
  "col.workers": "Employed",
  "col.newWorkers": "New",
  "col.activeWorkers": "Active",
  "col.leavingWorkers": "Leaving",
  "col.activeDays": "Active days",
  "col.hours": "Active hours",
  "col.items": "Items done",
  "col.accepted": "Items accepted",
  "col.income": "Income (yuan)",
  "col.incomePerWorker": "Income per worker (yuan)",
  "col.incomePerHour": "Income per hour (yuan)",
  "col.cohort": "Start month",
  "col.cohortSize": "Started",
  "col.after3Month": "After 3 months",
  "col.after3": "Active after 3 months",
  "col.after3Rate": "Retention at 3 months",
  "col.after6Month": "After 6 months",
  "col.after6": "Active after 6 months",
  "col.after6Rate": "Retention at 6 months",
  "row.period": "Period",
  "row.total": "Total",
  "row.smallGroups": "Groups under {min} people together ({groups} groups)",
  "row.unnamed": "Not named: {n} people",
  "row.notGiven": "Not given",
  "row.retention3": "Retention at 3 months (started {cohort}, {size} people)",
  "row.retention6": "Retention at 6 months (started {cohort}, {size} people)",
  "note.privacy": 'Groups under {min} people show only "<3"; totals count everyone. Workers who did not consent to be named appear only in the "not named" row.',
  "note.trendTotal": "The total row adds only what adds up over months (new, leaving, days, hours, items, income); head counts are per month."
};
function reportLabel(locale, key, params) {
  const text2 = (locale === "en" ? en : zh)[key];
  return params ? text2.replace(/\{(\w+)\}/g, (m, k) => k in params ? String(params[k]) : m) : text2;
}

// src/core/report/employment-tables.ts
var yuan = (fen) => fen === null ? null : fen / 100;
var FIGURE_COLUMNS = [
  ["col.workers", "int", (f) => f.workers],
  ["col.newWorkers", "int", (f) => f.newWorkers],
  ["col.activeWorkers", "int", (f) => f.activeWorkers],
  ["col.leavingWorkers", "int", (f) => f.leavingWorkers],
  ["col.activeDays", "int", (f) => f.activeDays],
  ["col.hours", "hours", (f) => f.hours],
  ["col.items", "int", (f) => f.items],
  ["col.accepted", "int", (f) => f.accepted],
  ["col.income", "yuan", (f) => yuan(f.incomeFen)],
  ["col.incomePerWorker", "yuan", (f) => yuan(f.incomePerWorkerFen)],
  ["col.incomePerHour", "yuan", (f) => yuan(f.incomePerHourFen)]
];
function employmentTables(report, locale = "zh-CN") {
  const L = (key, params) => reportLabel(locale, key, params);
  const period2 = report.period.from === report.period.to ? report.period.from : `${report.period.from} \u2013 ${report.period.to}`;
  const title = (sheet) => `${L("title", { period: period2 })} \xB7 ${L(sheet)}`;
  const figureColumns = FIGURE_COLUMNS.map(([key, kind]) => ({ header: L(key), kind }));
  const figureCells = (f) => FIGURE_COLUMNS.map(([, , get]) => get(f));
  const groupCells = (g) => g.figures ? figureCells(g.figures) : FIGURE_COLUMNS.map((_, i) => i === 0 ? g.workers : null);
  const given = (s2) => s2 ?? L("row.notGiven");
  const privacyNote = L("note.privacy", { min: report.minGroupSize });
  const smallRow = (lead, b) => b.smallGroups ? [
    [
      L("row.smallGroups", { min: report.minGroupSize, groups: b.smallGroups.groups }),
      ...Array(lead - 1).fill(null),
      ...groupCells(b.smallGroups)
    ]
  ] : [];
  const label = (code, zh2, en2) => (locale === "en" ? en2 : zh2) || code;
  const householdLabel = new Map(report.householdStatuses.map((s2) => [s2.code, label(s2.code, s2.labelZh, s2.labelEn)]));
  const s = report.summary;
  const r3 = report.retention.after3;
  const r6 = report.retention.after6;
  const summary = {
    sheet: L("sheet.summary"),
    title: title("sheet.summary"),
    columns: [
      { header: L("col.item"), kind: "text" },
      { header: L("col.value"), kind: "text" }
    ],
    rowKinds: ["text", ...FIGURE_COLUMNS.map(([, kind]) => kind), "rate", "rate"],
    rows: [
      [L("row.period"), period2],
      ...FIGURE_COLUMNS.map(([key, , get]) => [L(key), get(s)]),
      [L("row.retention3", { cohort: r3.cohort, size: r3.size }), r3.rate],
      [L("row.retention6", { cohort: r6.cohort, size: r6.size }), r6.rate]
    ],
    totals: [],
    notes: [privacyNote]
  };
  const household = {
    sheet: L("sheet.household"),
    title: title("sheet.household"),
    columns: [{ header: L("col.household"), kind: "text" }, ...figureColumns],
    rows: [
      ...report.byHousehold.rows.map((r) => [
        label(r.code, r.labelZh, r.labelEn) || L("row.notGiven"),
        ...groupCells(r)
      ]),
      ...smallRow(1, report.byHousehold)
    ],
    totals: [[L("row.total"), ...figureCells(report.byHousehold.total)]],
    notes: [privacyNote]
  };
  const area = {
    sheet: L("sheet.area"),
    title: title("sheet.area"),
    columns: [{ header: L("col.county"), kind: "text" }, { header: L("col.township"), kind: "text" }, ...figureColumns],
    rows: [
      ...report.byArea.rows.map((r) => [given(r.county), given(r.township), ...groupCells(r)]),
      ...smallRow(2, report.byArea)
    ],
    totals: [[L("row.total"), null, ...figureCells(report.byArea.total)]],
    notes: [privacyNote]
  };
  const t = report.trendTotal;
  const trend = {
    sheet: L("sheet.trend"),
    title: title("sheet.trend"),
    columns: [{ header: L("col.month"), kind: "text" }, ...figureColumns],
    rows: report.trend.map((row) => [row.month, ...figureCells(row)]),
    totals: [
      [
        L("row.total"),
        null,
        t.newWorkers,
        null,
        t.leavingWorkers,
        t.activeDays,
        t.hours,
        t.items,
        t.accepted,
        yuan(t.incomeFen),
        null,
        yuan(t.incomePerHourFen)
      ]
    ],
    notes: [L("note.trendTotal")]
  };
  const u = report.workers.unnamed;
  const workers = {
    sheet: L("sheet.workers"),
    title: title("sheet.workers"),
    columns: [
      { header: L("col.name"), kind: "text" },
      { header: L("col.household"), kind: "text" },
      { header: L("col.county"), kind: "text" },
      { header: L("col.township"), kind: "text" },
      { header: L("col.village"), kind: "text" },
      { header: L("col.startDate"), kind: "text" },
      { header: L("col.endDate"), kind: "text" },
      ...figureColumns
    ],
    rows: [
      ...report.workers.named.map((w) => [
        w.name,
        w.household === null ? null : householdLabel.get(w.household) ?? w.household,
        w.county,
        w.township,
        w.village,
        w.startDate,
        w.endDate,
        ...figureCells(w.figures)
      ]),
      ...u.count > 0 ? [[L("row.unnamed", { n: u.count }), null, null, null, null, null, null, ...figureCells(u.figures)]] : []
    ],
    totals: [[L("row.total"), null, null, null, null, null, null, ...figureCells(report.workers.total)]],
    notes: [privacyNote]
  };
  const c = report.cohorts;
  const retention = {
    sheet: L("sheet.retention"),
    title: title("sheet.retention"),
    columns: [
      { header: L("col.cohort"), kind: "text" },
      { header: L("col.cohortSize"), kind: "int" },
      { header: L("col.after3Month"), kind: "text" },
      { header: L("col.after3"), kind: "int" },
      { header: L("col.after3Rate"), kind: "rate" },
      { header: L("col.after6Month"), kind: "text" },
      { header: L("col.after6"), kind: "int" },
      { header: L("col.after6Rate"), kind: "rate" }
    ],
    rows: c.rows.map((r) => [
      r.cohort,
      r.size,
      r.after3.month,
      r.after3.retained,
      r.after3.rate,
      r.after6.month,
      r.after6.retained,
      r.after6.rate
    ]),
    totals: [
      [
        L("row.total"),
        c.total.size,
        null,
        c.total.after3.retained,
        c.total.after3.rate,
        null,
        c.total.after6.retained,
        c.total.after6.rate
      ]
    ],
    notes: []
  };
  return [summary, household, area, trend, workers, retention];
}

// src/server/services/report-xlsx.ts
import ExcelJS from "exceljs";
var XLSX_HEADER_ROW = 2;
var FORMATS = {
  text: void 0,
  int: "#,##0",
  hours: "#,##0.00",
  yuan: "#,##0.00",
  rate: "0.0%"
};
function sheetName(name, taken) {
  const base = name.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet";
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(out.toLowerCase());
  return out;
}
async function tablesToXlsx(tables, created) {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Shugu";
  workbook.created = created;
  workbook.modified = created;
  const taken = /* @__PURE__ */ new Set();
  for (const table of tables) writeSheet(workbook.addWorksheet(sheetName(table.sheet, taken)), table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
function writeSheet(ws, table) {
  const width = table.columns.length;
  ws.getCell(1, 1).value = table.title;
  ws.getCell(1, 1).font = { bold: true, size: 13 };
  const header = ws.getRow(XLSX_HEADER_ROW);
  table.columns.forEach((c, i) => header.getCell(i + 1).value = c.header);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "middle" };
  ws.views = [{ state: "frozen", ySplit: XLSX_HEADER_ROW }];
  let r = XLSX_HEADER_ROW + 1;
  table.rows.forEach((cells, i) => {
    const kinds = table.columns.map((c, k) => k === width - 1 && table.rowKinds ? table.rowKinds[i] : c.kind);
    writeRow(ws.getRow(r++), cells, kinds);
  });
  for (const cells of table.totals) {
    const row = ws.getRow(r++);
    writeRow(
      row,
      cells,
      table.columns.map((c) => c.kind)
    );
    row.font = { bold: true };
    row.border = { top: { style: "thin" } };
  }
  r++;
  for (const note of table.notes) ws.getCell(r++, 1).value = note;
  table.columns.forEach((c, i) => {
    const longest = Math.max(displayWidth(c.header), ...table.rows.map((row) => displayWidth(String(row[i] ?? ""))));
    ws.getColumn(i + 1).width = Math.min(40, Math.max(8, longest + 2));
  });
}
function writeRow(row, cells, kinds) {
  cells.forEach((value, i) => {
    if (value === null) return;
    const cell2 = row.getCell(i + 1);
    cell2.value = value;
    const fmt2 = typeof value === "number" ? FORMATS[kinds[i]] : void 0;
    if (fmt2) cell2.numFmt = fmt2;
    if (typeof value === "string" && kinds[i] !== "text") cell2.alignment = { horizontal: "right" };
  });
}
function displayWidth(s) {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 11904 ? 2 : 1;
  return w;
}

// src/server/services/report.service.ts
var ReportService = class {
  constructor(reports, clock) {
    this.reports = reports;
    this.clock = clock;
  }
  reports;
  clock;
  async employment(actor, query) {
    const orgId = tenancyOf(actor);
    return this.employmentOf(orgId, query);
  }
  async employmentXlsx(actor, query) {
    const orgId = tenancyOf(actor);
    return this.employmentXlsxOf(orgId, query);
  }
  /** Without an actor: the CLI, run by the server's operator, names the organisation. */
  async employmentOf(orgId, query) {
    const period2 = resolvePeriod(query, monthOfMs(this.clock.now()));
    const fromMs = monthStartMs(period2.trendFrom);
    const toMs = monthEndMs(period2.to);
    const [workers, days, accepted, income, householdStatuses] = await Promise.all([
      this.reports.workers(orgId),
      this.reports.days(orgId, fromMs, toMs),
      this.reports.accepted(orgId, fromMs, toMs),
      this.reports.income(orgId, period2.trendFrom, period2.to),
      this.reports.householdStatuses()
    ]);
    return employmentReport({ ...period2, workers, days, accepted, income, householdStatuses });
  }
  async employmentXlsxOf(orgId, query) {
    const report = await this.employmentOf(orgId, query);
    const locale = query.lang ?? "zh-CN";
    const { from, to } = report.period;
    const filename = `shugu-employment-${from === to ? from : `${from}_${to}`}.xlsx`;
    return { filename, body: await tablesToXlsx(employmentTables(report, locale), new Date(this.clock.now())) };
  }
};
function resolvePeriod(query, currentMonth) {
  for (const m of [query.month, query.from, query.to]) {
    if (m !== void 0 && !isMonth(m)) throw badRequest("invalid_month", `'${m}' is not a month 'YYYY-MM'.`);
  }
  if (query.month && (query.from || query.to)) {
    throw badRequest("invalid_period", "Ask for one month, or for a range with from and to, not both.");
  }
  const from = query.month ?? query.from ?? query.to ?? currentMonth;
  const to = query.month ?? query.to ?? query.from ?? currentMonth;
  if (from > to) throw badRequest("invalid_period", `The period starts (${from}) after it ends (${to}).`);
  if (monthCount(from, to) > MAX_REPORT_MONTHS) {
    throw badRequest("period_too_long", `A report covers at most ${MAX_REPORT_MONTHS} months.`);
  }
  const trendMonths = Number(query.trendMonths ?? 12);
  if (!Number.isInteger(trendMonths) || trendMonths < 1 || trendMonths > MAX_REPORT_MONTHS) {
    throw badRequest("invalid_trend", `The trend covers 1 to ${MAX_REPORT_MONTHS} months.`);
  }
  const back = addMonths(to, -(trendMonths - 1));
  return { from, to, trendFrom: back < from ? back : from };
}

// src/server/services/user.service.ts
var MIN_PASSWORD_LENGTH = 8;
var UserService = class _UserService {
  constructor(users, orgs, clock) {
    this.users = users;
    this.orgs = orgs;
    this.clock = clock;
  }
  users;
  orgs;
  clock;
  /** Only admins create organisations: client organisations of their own vendor. */
  async createOrg(actor, name, kind) {
    const vendorOrgId = assertCanCreateOrg(actor, kind);
    return this.orgs.create(name.trim(), kind, this.clock.now(), vendorOrgId);
  }
  /** The actor's vendor organisation and its clients. */
  async listOrgs(actor) {
    return this.orgs.listTenancy(tenancyOf(actor));
  }
  /**
   * Admins create anyone inside their vendor and its clients; managers create workers
   * and reviewers in their own organisation, and client users for its clients.
   */
  async create(actor, input) {
    requireRole(actor, "admin", "manager");
    const orgId = input.orgId ?? actor.org_id;
    const org = await this.orgs.get(orgId);
    assertCanAddUser(actor, org, input.role);
    return _UserService.insert(this.users, { ...input, orgId }, this.clock.now());
  }
  /** Creation without an actor: the first start's seed and the CLI's `users add`. */
  static async insert(users, input, now) {
    if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username)) {
      throw badRequest("invalid_username", "A user name has 2\u201364 letters, digits or the signs _ . @ -.");
    }
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw badRequest("weak_password", `A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (input.household !== void 0 && !await users.isActiveHousehold(input.household)) {
      throw badRequest("unknown_household_status", `"${input.household}" is not a household status in use.`);
    }
    try {
      return await users.create({
        org_id: input.orgId,
        username: input.username,
        display_name: input.displayName?.trim() || input.username,
        password_hash: await hashPassword(input.password),
        role: input.role,
        locale: input.locale ?? "zh-CN",
        disabled: 0,
        county: input.county ?? null,
        township: input.township ?? null,
        village: input.village ?? null,
        household: input.household ?? "none",
        created_at: now
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("username_taken", `The user name ${input.username} is taken.`);
      throw err;
    }
  }
  /** Users of the actor's vendor organisation and its clients. */
  async list(actor) {
    return this.users.listByTenancy(tenancyOf(actor));
  }
};

// src/server/services/work.service.ts
var MAX_ACTIVE_LEASES = 2;
var SWEEP_INTERVAL_MS = 1e3;
var WorkService = class {
  constructor(db, projects, items, assignments, annotations, quality, clock, membership, certifications) {
    this.db = db;
    this.projects = projects;
    this.items = items;
    this.assignments = assignments;
    this.annotations = annotations;
    this.quality = quality;
    this.clock = clock;
    this.membership = membership;
    this.certifications = certifications;
  }
  db;
  projects;
  items;
  assignments;
  annotations;
  quality;
  clock;
  membership;
  certifications;
  lastSweep = 0;
  /**
   * The worker's next item, or null when the project has nothing left for them.
   * Asking again while holding the maximum of live leases returns the oldest one,
   * so a client that lost a response gets its lease back instead of a second one.
   */
  async lease(actor, projectId) {
    const project = await this.projects.getCached(projectId);
    assertCanWork(actor, project);
    await this.membership.assertMayWork(projectId, actor.id);
    await this.certifications?.assertCertified(actor, project);
    const now = this.clock.now();
    await this.sweepIfDue(now);
    const lease = await withTx(this.db, async (trx) => {
      await this.quality.assertNotSuspended(trx, projectId, actor.id);
      const active = await this.assignments.activeLeases(trx, projectId, actor.id, now);
      if (active.length >= MAX_ACTIVE_LEASES) return { ...active[0], size: null };
      const expiresAt = now + project.lease_seconds * 1e3;
      if (await this.quality.wantsGold(trx, project, actor.id)) {
        const goldId = await this.assignments.findGold(trx, projectId, actor.id);
        if (goldId !== void 0) {
          return {
            ...await this.assignments.insertLease(trx, projectId, goldId, actor.id, now, expiresAt),
            size: null
          };
        }
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        const found = await this.assignments.findLeasable(trx, projectId, actor.id);
        if (found === void 0) return null;
        if (await this.assignments.claim(trx, found.id, project.overlap)) {
          return {
            ...await this.assignments.insertLease(trx, projectId, found.id, actor.id, now, expiresAt),
            size: found
          };
        }
      }
      return null;
    });
    if (!lease) return null;
    const item = lease.size ?? await this.items.get(lease.item_id);
    return leaseView(lease.id, lease.expires_at, { id: lease.item_id, width: item.width, height: item.height });
  }
  /** The worker's live leases in a project, oldest first: what a reloaded workspace resumes. */
  async myLeases(actor, projectId) {
    assertCanWork(actor, await this.projects.get(projectId));
    const leases = await this.assignments.activeLeases(this.db, projectId, actor.id, this.clock.now());
    const views = [];
    for (const l of leases) views.push(leaseView(l.id, l.expires_at, await this.items.get(l.item_id)));
    return views;
  }
  async submit(actor, assignmentId, body) {
    requireRole(actor, "worker");
    const prior = await this.annotations.findBySubmissionId(this.db, actor.id, body.clientSubmissionId);
    if (prior) return this.replay(prior, assignmentId);
    const a = await this.assignments.get(this.db, assignmentId);
    if (!a || a.worker_id !== actor.id) throw notFound("assignment");
    const [project, item] = await Promise.all([this.projects.getCached(a.project_id), this.items.get(a.item_id)]);
    this.validate(project, item, body);
    const now = this.clock.now();
    try {
      return await withTx(this.db, async (trx) => {
        let ended = await this.assignments.end(trx, a.id, "leased", "submitted", now);
        if (!ended) {
          const cur = await this.assignments.get(trx, a.id);
          if (cur.status === "submitted") {
            const again = await this.annotations.findBySubmissionId(trx, actor.id, body.clientSubmissionId);
            if (again) return { annotationId: again.id, duplicate: true };
            throw conflict("already_submitted", "This item was already submitted with another answer.");
          }
          if (cur.status !== "expired") throw conflict("assignment_closed", `This item was ${cur.status}.`);
          if (!item.is_gold && !await this.assignments.claim(trx, a.item_id, project.overlap)) {
            throw conflict("lease_expired", "The time for this item ran out and others have taken it.");
          }
          ended = await this.assignments.end(trx, a.id, "expired", "submitted", now);
          if (!ended) throw conflict("assignment_closed", "This item changed while submitting; try again.");
        }
        const row = await this.annotations.insert(trx, {
          project_id: a.project_id,
          item_id: a.item_id,
          assignment_id: a.id,
          worker_id: actor.id,
          client_submission_id: body.clientSubmissionId,
          data: JSON.stringify(body.data),
          instance_count: body.data.instances.length,
          active_ms: body.activeMs,
          created_at: now
        });
        if (item.is_gold) {
          await this.quality.scoreInTx(trx, project, row.id, a.item_id, actor.id, body.data);
        } else {
          const counts = await this.assignments.markSubmitted(trx, a.item_id);
          if (counts.submitted >= project.overlap + counts.extra_overlap) {
            await this.quality.onItemComplete(trx, project, a.item_id);
          }
        }
        return { annotationId: row.id, duplicate: false };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const winner = await this.annotations.findBySubmissionId(this.db, actor.id, body.clientSubmissionId);
        if (winner) return this.replay(winner, assignmentId);
      }
      throw err;
    }
  }
  /** Skip (with a reason) or release: the item goes back to the pool for others. */
  async giveBack(actor, assignmentId, how, reason = null) {
    requireRole(actor, "worker");
    const a = await this.assignments.get(this.db, assignmentId);
    if (!a || a.worker_id !== actor.id) throw notFound("assignment");
    const project = await this.projects.get(a.project_id);
    await withTx(this.db, async (trx) => {
      if (await this.assignments.end(trx, a.id, "leased", how, this.clock.now(), reason)) {
        await this.assignments.unclaim(trx, a.item_id, project.overlap);
        return;
      }
      const cur = await this.assignments.get(trx, a.id);
      if (cur.status === "submitted") throw conflict("already_submitted", "This item was already submitted.");
    });
    return { ok: true };
  }
  /** The item behind a worker's own assignment, for its image. */
  async itemForAssignment(actor, assignmentId) {
    const a = await this.assignments.get(this.db, assignmentId);
    if (!a || a.worker_id !== actor.id) throw notFound("assignment");
    return await this.items.get(a.item_id);
  }
  async today(actor) {
    requireRole(actor, "worker");
    return this.assignments.workerDay(actor.id, utcDayStart(this.clock.now()));
  }
  /** Returns expired leases' slots; cheap when nothing is due. */
  async sweep(now = this.clock.now()) {
    this.lastSweep = now;
    return withTx(this.db, (trx) => this.assignments.expireDue(trx, now));
  }
  async sweepIfDue(now) {
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) await this.sweep(now);
  }
  replay(prior, assignmentId) {
    if (prior.assignment_id !== assignmentId) {
      throw conflict("submission_id_reused", "This submission id was already used for another item.");
    }
    return { annotationId: prior.id, duplicate: true };
  }
  validate(project, item, body) {
    const problems = checkAnnotation(templateOf(project), item.width, item.height, body.data, project.max_instances);
    if (problems.length > 0) {
      throw badRequest(problems[0].code, problems.map((p) => p.message).join("; "), problems);
    }
  }
};
function leaseView(assignmentId, expiresAt, item) {
  return {
    assignmentId,
    expiresAt: new Date(expiresAt).toISOString(),
    item: { id: item.id, width: item.width, height: item.height },
    imageUrl: `/api/assignments/${assignmentId}/image`,
    previewUrl: `/api/assignments/${assignmentId}/preview`
  };
}

// src/server/repositories/household.repository.ts
var HouseholdRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  list() {
    return this.db.selectFrom("household_statuses").selectAll().orderBy("sort").orderBy("code").execute();
  }
  get(code) {
    return this.db.selectFrom("household_statuses").selectAll().where("code", "=", code).executeTakeFirst();
  }
  insert(values) {
    return this.db.insertInto("household_statuses").values(values).returningAll().executeTakeFirstOrThrow();
  }
  update(code, values) {
    return this.db.updateTable("household_statuses").set(values).where("code", "=", code).returningAll().executeTakeFirstOrThrow();
  }
  delete(code) {
    return this.db.deleteFrom("household_statuses").where("code", "=", code).execute();
  }
  /** Whether anyone, in any organisation, holds the code: such a code is never deleted. */
  async inUse(code) {
    const row = await this.db.selectFrom("users").select("id").where("household", "=", code).limit(1).executeTakeFirst();
    return row !== void 0;
  }
};

// src/server/repositories/invitation.repository.ts
import { sql as sql14 } from "kysely";
var InvitationRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  create(values) {
    return this.db.insertInto("invitations").values(values).returningAll().executeTakeFirstOrThrow();
  }
  list(orgId) {
    return this.db.selectFrom("invitations").leftJoin("teams", "teams.id", "invitations.team_id").leftJoin("users", "users.id", "invitations.created_by").select([
      "invitations.id",
      "invitations.role",
      "invitations.team_id",
      "teams.name as team_name",
      "invitations.expires_at",
      "invitations.max_uses",
      "invitations.uses",
      "invitations.created_at",
      "invitations.revoked_at",
      "users.display_name as created_by_name"
    ]).where("invitations.org_id", "=", orgId).orderBy("invitations.id", "desc").execute();
  }
  get(id2) {
    return this.db.selectFrom("invitations").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  findByHash(codeHash, executor = this.db) {
    return executor.selectFrom("invitations").innerJoin("orgs", "orgs.id", "invitations.org_id").leftJoin("teams", "teams.id", "invitations.team_id").selectAll("invitations").select(["orgs.name as org_name", "teams.name as team_name"]).where("invitations.code_hash", "=", codeHash).executeTakeFirst();
  }
  /**
   * Takes one use of a live invitation; false when it is expired, revoked or used up.
   * The check and the count are one UPDATE, so concurrent sign-ups never pass max_uses.
   */
  async consume(trx, id2, now) {
    const res = await trx.updateTable("invitations").set({ uses: sql14`uses + 1` }).where("id", "=", id2).where("revoked_at", "is", null).where("expires_at", ">", now).whereRef("uses", "<", "max_uses").executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  revoke(id2, now) {
    return this.db.updateTable("invitations").set({ revoked_at: now }).where("id", "=", id2).where("revoked_at", "is", null).execute();
  }
};

// src/server/repositories/people.repository.ts
var profileColumns = [
  "users.id",
  "users.org_id",
  "users.username",
  "users.display_name",
  "users.role",
  "users.disabled",
  "users.phone",
  "users.county",
  "users.township",
  "users.village",
  "users.household",
  "users.start_date",
  "users.end_date",
  "users.consent_named",
  "users.must_change_password",
  "users.team_id",
  "users.created_at"
];
var teamName = (eb) => eb.selectFrom("teams").select("teams.name").whereRef("teams.id", "=", "users.team_id").as("team_name");
var PeopleRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  list(orgId, query) {
    let q = this.db.selectFrom("users").select(profileColumns).select(teamName).where("users.org_id", "=", orgId).where("users.role", "in", query.role ? [query.role] : ["worker", "reviewer"]).orderBy("users.id");
    if (query.teamId !== void 0) q = q.where("users.team_id", "=", query.teamId);
    if (query.household !== void 0) q = q.where("users.household", "=", query.household);
    if (query.status === "active") q = q.where("users.disabled", "=", 0);
    if (query.status === "disabled") q = q.where("users.disabled", "=", 1);
    if (query.q) {
      const like = `%${query.q.replace(/[%_\\]/g, "")}%`;
      q = q.where(
        (eb) => eb.or(
          ["users.display_name", "users.username", "users.phone", "users.village"].map(
            (c) => eb(c, "like", like)
          )
        )
      );
    }
    return q.execute();
  }
  get(id2, executor = this.db) {
    return executor.selectFrom("users").select(profileColumns).select(teamName).where("users.id", "=", id2).executeTakeFirst();
  }
  /** Several people by id, only those of `orgId`. */
  listByIds(orgId, ids) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom("users").select(["id", "role", "team_id", "disabled"]).where("org_id", "=", orgId).where("id", "in", ids).execute();
  }
  insert(trx, values) {
    return trx.insertInto("users").values(values).returning("id").executeTakeFirstOrThrow();
  }
  update(trx, id2, values) {
    return trx.updateTable("users").set(values).where("id", "=", id2).execute();
  }
  passwordHash(id2) {
    return this.db.selectFrom("users").select("password_hash").where("id", "=", id2).executeTakeFirst();
  }
  // --- profile change log -------------------------------------------------------
  logChanges(trx, rows4) {
    if (rows4.length === 0) return Promise.resolve();
    return trx.insertInto("profile_changes").values(rows4).execute();
  }
  changes(userId) {
    return this.db.selectFrom("profile_changes").leftJoin("users as by", "by.id", "profile_changes.changed_by").select([
      "profile_changes.id",
      "profile_changes.field",
      "profile_changes.old_value",
      "profile_changes.new_value",
      "profile_changes.at",
      "profile_changes.changed_by",
      "by.display_name as changed_by_name"
    ]).where("profile_changes.user_id", "=", userId).orderBy("profile_changes.id", "desc").execute();
  }
  // --- user names and phones ----------------------------------------------------
  /** Every user name shaped like a sequence name (`w…`), for the next number. */
  async sequenceNames(executor = this.db) {
    const rows4 = await executor.selectFrom("users").select("username").where("username", "like", "w%").execute();
    return rows4.map((r) => r.username);
  }
  /** Which of `names` are taken, in any organisation (user names are global). */
  async takenUsernames(names) {
    const out = /* @__PURE__ */ new Set();
    for (let i = 0; i < names.length; i += 500) {
      const rows4 = await this.db.selectFrom("users").select("username").where("username", "in", names.slice(i, i + 500)).execute();
      for (const r of rows4) out.add(r.username);
    }
    return out;
  }
  async phonesInOrg(orgId) {
    const rows4 = await this.db.selectFrom("users").select("phone").where("org_id", "=", orgId).where("phone", "is not", null).execute();
    return new Set(rows4.map((r) => r.phone));
  }
  // --- sessions and one-time codes ----------------------------------------------
  deleteSessions(trx, userId) {
    return trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
  }
  /** Replaces any earlier code of the person: only the newest one is live. */
  async putOneTimeCode(trx, values) {
    await trx.deleteFrom("one_time_codes").where("user_id", "=", values.user_id).execute();
    await trx.insertInto("one_time_codes").values(values).execute();
  }
  markCodeUsed(trx, userId, now) {
    return trx.updateTable("one_time_codes").set({ used_at: now }).where("user_id", "=", userId).where("used_at", "is", null).execute();
  }
};

// src/server/repositories/team.repository.ts
import { sql as sql15 } from "kysely";
var TeamRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  list(orgId) {
    return this.db.selectFrom("teams").leftJoin("users as lead", "lead.id", "teams.lead_user_id").select((eb) => [
      "teams.id",
      "teams.name",
      "teams.lead_user_id",
      "lead.display_name as lead_name",
      "teams.created_at",
      eb.selectFrom("users").select((e) => e.fn.countAll().as("n")).whereRef("users.team_id", "=", "teams.id").as("members")
    ]).where("teams.org_id", "=", orgId).orderBy("teams.name").execute();
  }
  get(id2, executor = this.db) {
    return executor.selectFrom("teams").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  findByName(trx, orgId, name) {
    return trx.selectFrom("teams").selectAll().where("org_id", "=", orgId).where("name", "=", name).executeTakeFirst();
  }
  create(trx, orgId, name, leadUserId, now) {
    return trx.insertInto("teams").values({ org_id: orgId, name, lead_user_id: leadUserId, created_at: now }).returningAll().executeTakeFirstOrThrow();
  }
  update(id2, values) {
    return this.db.updateTable("teams").set(values).where("id", "=", id2).returningAll().executeTakeFirstOrThrow();
  }
  /** Removes a team; its people keep working, teamless, and its project grants go. */
  async delete(trx, id2) {
    await trx.updateTable("users").set({ team_id: null }).where("team_id", "=", id2).execute();
    await trx.updateTable("invitations").set({ team_id: null }).where("team_id", "=", id2).execute();
    await trx.deleteFrom("project_members").where("team_id", "=", id2).execute();
    await trx.deleteFrom("teams").where("id", "=", id2).execute();
  }
  members(teamId, executor = this.db) {
    return executor.selectFrom("users").select(["id", "username", "display_name", "team_id"]).where("team_id", "=", teamId).orderBy("id").execute();
  }
  setTeam(trx, userIds, teamId) {
    if (userIds.length === 0) return Promise.resolve();
    return trx.updateTable("users").set({ team_id: teamId }).where("id", "in", userIds).execute();
  }
  // --- project members ---------------------------------------------------------
  projectMembers(projectId) {
    return this.db.selectFrom("project_members").leftJoin("users", "users.id", "project_members.user_id").leftJoin("teams", "teams.id", "project_members.team_id").select([
      "project_members.user_id",
      "project_members.team_id",
      "users.display_name as user_name",
      "users.username",
      "teams.name as team_name"
    ]).where("project_members.project_id", "=", projectId).execute();
  }
  /** Adds grants; ones already there are kept as they are. */
  async addProjectMembers(trx, projectId, userIds, teamIds, now) {
    const existing = await trx.selectFrom("project_members").select(["user_id", "team_id"]).where("project_id", "=", projectId).execute();
    const users = new Set(existing.map((e) => e.user_id));
    const teams = new Set(existing.map((e) => e.team_id));
    const rows4 = [
      ...[...new Set(userIds)].filter((id2) => !users.has(id2)).map((id2) => ({ project_id: projectId, user_id: id2, team_id: null, created_at: now })),
      ...[...new Set(teamIds)].filter((id2) => !teams.has(id2)).map((id2) => ({ project_id: projectId, user_id: null, team_id: id2, created_at: now }))
    ];
    for (let i = 0; i < rows4.length; i += 500) {
      await trx.insertInto("project_members").values(rows4.slice(i, i + 500)).execute();
    }
    return rows4.length;
  }
  async projectsOfTeam(teamId) {
    const rows4 = await this.db.selectFrom("project_members").select("project_id").where("team_id", "=", teamId).execute();
    return rows4.map((r) => r.project_id);
  }
  clearProjectMembers(trx, projectId) {
    return trx.deleteFrom("project_members").where("project_id", "=", projectId).execute();
  }
  /** True when the project is given to particular people or teams, false when it is open to all. */
  async hasProjectMembers(projectId) {
    const row = await this.db.selectFrom("project_members").select("project_id").where("project_id", "=", projectId).limit(1).executeTakeFirst();
    return row !== void 0;
  }
  /** Whether the worker is a member of the project, directly or through her team: one indexed lookup. */
  async isProjectMember(projectId, userId) {
    const row = await sql15`
      select 1 as one from project_members pm
      where pm.project_id = ${projectId}
        and (pm.user_id = ${userId} or pm.team_id = (select u.team_id from users u where u.id = ${userId}))
      limit 1`.execute(this.db);
    return row.rows.length > 0;
  }
  /** The projects among `projectIds` the worker may not work on (they have members and she is none). */
  async closedTo(projectIds, userId) {
    if (projectIds.length === 0) return /* @__PURE__ */ new Set();
    const rows4 = await this.db.selectFrom("project_members as pm").select((eb) => [
      "pm.project_id",
      eb.fn.max(
        sql15`case when pm.user_id = ${userId} or pm.team_id = (select u.team_id from users u where u.id = ${userId}) then 1 else 0 end`
      ).as("mine")
    ]).where("pm.project_id", "in", projectIds).groupBy("pm.project_id").execute();
    return new Set(rows4.filter((r) => Number(r.mine) === 0).map((r) => r.project_id));
  }
};

// src/core/people/profile.ts
function normalizePhone(input) {
  let s = input.replace(/[\s\-()（）]/g, "");
  if (s.startsWith("+86")) s = s.slice(3);
  else if (s.startsWith("0086")) s = s.slice(4);
  if (/^1[3-9]\d{9}$/.test(s)) return s;
  if (/^0\d{2,3}\d{7,8}$/.test(s)) return s;
  return null;
}
var EXCEL_EPOCH = Date.UTC(1899, 11, 30);
function parseDate(input) {
  const s = input.trim();
  let y, m, d;
  const parts2 = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (parts2) {
    [y, m, d] = [Number(parts2[1]), Number(parts2[2]), Number(parts2[3])];
  } else if (/^\d{5}(\.0+)?$/.test(s) && Number(s) >= 2e4 && Number(s) <= 8e4) {
    const date2 = new Date(EXCEL_EPOCH + Math.floor(Number(s)) * 864e5);
    [y, m, d] = [date2.getUTCFullYear(), date2.getUTCMonth() + 1, date2.getUTCDate()];
  } else {
    return null;
  }
  if (y < 1950 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}
function utcDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}
var YES = /* @__PURE__ */ new Set(["\u662F", "\u540C\u610F", "\u613F\u610F", "y", "yes", "true", "1", "\u221A", "\u2713", "\u2714"]);
var NO = /* @__PURE__ */ new Set(["", "\u5426", "\u4E0D\u540C\u610F", "\u4E0D\u613F\u610F", "n", "no", "false", "0", "\xD7", "\u2717"]);
function parseYesNo(input) {
  const s = input.trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return null;
}
function householdOf(input, statuses) {
  const s = input.trim();
  if (!s) return "none";
  const lower = s.toLowerCase();
  const hit = statuses.find(
    (h) => h.active && (h.code === lower || h.label_zh === s || h.label_en.toLowerCase() === lower)
  );
  return hit?.code ?? null;
}
function nextUsernames(existing, n, prefix = "w") {
  let max = 0;
  const re = new RegExp(`^${prefix}(\\d+)$`);
  for (const u of existing) {
    const m = re.exec(u);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return Array.from({ length: n }, (_, i) => `${prefix}${String(max + 1 + i).padStart(4, "0")}`);
}
var USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;

// src/core/people/cohort.ts
var COHORT_KEYS = [
  "name",
  "phone",
  "county",
  "township",
  "village",
  "household",
  "startDate",
  "consent",
  "team",
  "username"
];
var COHORT_HEADERS = {
  name: "\u59D3\u540D",
  phone: "\u624B\u673A\u53F7",
  county: "\u53BF",
  township: "\u4E61\u9547",
  village: "\u6751",
  household: "\u6237\u7C4D\u7C7B\u522B",
  startDate: "\u5165\u804C\u65E5\u671F",
  consent: "\u540C\u610F\u5177\u540D",
  team: "\u73ED\u7EC4",
  username: "\u7528\u6237\u540D"
};
var ALIASES = {
  name: ["\u59D3\u540D", "\u540D\u5B57", "name", "displayname", "\u663E\u793A\u540D"],
  phone: ["\u624B\u673A\u53F7", "\u624B\u673A", "\u624B\u673A\u53F7\u7801", "\u7535\u8BDD", "\u8054\u7CFB\u7535\u8BDD", "phone", "mobile"],
  county: ["\u53BF", "\u53BF\u533A", "\u533A\u53BF", "\u53BF(\u533A)", "county"],
  township: ["\u4E61\u9547", "\u4E61", "\u9547", "\u4E61(\u9547)", "township"],
  village: ["\u6751", "\u6751\u7EC4", "\u6751(\u793E\u533A)", "village"],
  household: ["\u6237\u7C4D\u7C7B\u522B", "\u6237\u7C4D\u7C7B\u522B/household", "\u6237\u7C7B\u578B", "\u6237\u7C4D", "\u5BB6\u5EAD\u7C7B\u522B", "household", "householdstatus"],
  startDate: ["\u5165\u804C\u65E5\u671F", "\u5F00\u59CB\u65E5\u671F", "\u5165\u804C\u65F6\u95F4", "startdate", "start_date", "start"],
  consent: ["\u540C\u610F\u5177\u540D", "\u540C\u610F\u7F72\u540D", "\u540C\u610F\u516C\u5F00\u59D3\u540D", "consent", "consentnamed", "consent_named"],
  team: ["\u73ED\u7EC4", "\u5C0F\u7EC4", "\u7EC4", "team"],
  username: ["\u7528\u6237\u540D", "\u8D26\u53F7", "username", "login"]
};
var normHeader = (h) => h.replace(/[\s（）()_]/g, "").toLowerCase();
function mapHeader(headers) {
  const columns = headers.map((h) => {
    const n = normHeader(h ?? "");
    if (!n) return null;
    return COHORT_KEYS.find((k) => ALIASES[k].some((a) => normHeader(a) === n)) ?? null;
  });
  const missing = ["name"].filter((k) => !columns.includes(k));
  return { columns, missing };
}
var MAX_FIELD_LENGTH = 100;
function checkCohort(sources, lookups) {
  const problems = [];
  const rows4 = [];
  const seenUsernames = /* @__PURE__ */ new Map();
  const seenPhones = /* @__PURE__ */ new Map();
  for (const { line, cells } of sources) {
    const cell2 = (k) => (cells[k] ?? "").trim();
    const before = problems.length;
    const problem = (field, reason, extra = {}) => problems.push({ line, field, reason, value: cell2(field), severity: "error", ...extra });
    const displayName = cell2("name");
    if (!displayName) problem("name", "missing_name");
    else if (displayName.length > MAX_FIELD_LENGTH) problem("name", "name_too_long");
    let phone = null;
    if (cell2("phone")) {
      phone = normalizePhone(cell2("phone"));
      if (!phone) problem("phone", "bad_phone");
      else if (lookups.knownPhones.has(phone)) problem("phone", "duplicate_phone", { severity: "warning" });
      else if (seenPhones.has(phone)) {
        problem("phone", "duplicate_phone", { severity: "warning", firstLine: seenPhones.get(phone) });
      } else seenPhones.set(phone, line);
    }
    for (const k of ["county", "township", "village", "team"]) {
      if (cell2(k).length > MAX_FIELD_LENGTH) problem(k, "too_long");
    }
    const household = householdOf(cell2("household"), lookups.statuses);
    if (household === null) problem("household", "unknown_household");
    const startDate = cell2("startDate") ? parseDate(cell2("startDate")) : lookups.today;
    if (startDate === null) problem("startDate", "bad_date");
    const consent = parseYesNo(cell2("consent"));
    if (consent === null) problem("consent", "bad_consent");
    const username = cell2("username") || null;
    if (username !== null) {
      if (!USERNAME_PATTERN.test(username)) problem("username", "bad_username");
      else if (lookups.takenUsernames.has(username)) problem("username", "duplicate_username");
      else if (seenUsernames.has(username.toLowerCase())) {
        problem("username", "duplicate_username", { firstLine: seenUsernames.get(username.toLowerCase()) });
      } else seenUsernames.set(username.toLowerCase(), line);
    }
    const blocking = problems.slice(before).some((p) => p.severity === "error");
    if (!blocking) {
      rows4.push({
        line,
        displayName,
        phone,
        county: cell2("county") || null,
        township: cell2("township") || null,
        village: cell2("village") || null,
        household,
        startDate,
        consentNamed: consent,
        team: cell2("team") || null,
        username
      });
    }
  }
  return { rows: rows4, problems };
}

// src/server/services/cohort-sheet.ts
import ExcelJS2 from "exceljs";
import { parse as parse2 } from "csv-parse/sync";
import yauzl2 from "yauzl";
var MAX_COHORT_ROWS = 2e3;
var MAX_SHEET_BYTES = 5 * 1024 * 1024;
var MAX_XLSX_UNPACKED = 64 * 1024 * 1024;
async function readSheet(buf) {
  if (buf.length > MAX_SHEET_BYTES) throw tooLarge("upload_too_large", "A cohort sheet is at most 5 MiB.");
  let table;
  if (buf.subarray(0, 4).equals(Buffer.from([80, 75, 3, 4]))) table = await readXlsx(buf);
  else if (buf.subarray(0, 4).equals(Buffer.from([208, 207, 17, 224]))) {
    throw badRequest("unsupported_sheet", "Old .xls files are not read: save the sheet as .xlsx or .csv.");
  } else table = readCsv(buf);
  if (table.headers.every((h) => !h)) throw badRequest("empty_sheet", "The sheet has no header row.");
  if (table.rows.length > MAX_COHORT_ROWS) {
    throw badRequest("too_many_rows", `A sheet holds at most ${MAX_COHORT_ROWS} people; split it.`);
  }
  return table;
}
function decodeText(buf) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder("gb18030").decode(buf);
  }
}
function readCsv(buf) {
  let records;
  try {
    records = parse2(decodeText(buf), {
      bom: true,
      relax_column_count: true,
      info: true,
      skip_empty_lines: false
    });
  } catch (err) {
    throw badRequest("invalid_csv", `The CSV file cannot be read: ${err.message}`);
  }
  const rows4 = records.map(({ record, info }) => ({
    // info.lines is the line a record ends on; a quoted cell may span lines.
    line: info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
    cells: record.map((c) => c.trim())
  }));
  const [header, ...data] = rows4;
  return { headers: header?.cells ?? [], rows: data.filter((r) => r.cells.some((c) => c !== "")) };
}
async function assertSmallZip(buf) {
  let total = 0;
  let zip;
  try {
    zip = await new Promise(
      (resolve, reject) => yauzl2.fromBuffer(buf, { lazyEntries: true }, (err, z7) => err ? reject(err) : resolve(z7))
    );
  } catch {
    throw badRequest("invalid_xlsx", "The .xlsx file is damaged.");
  }
  await new Promise((resolve, reject) => {
    const fail = (err) => (zip.close(), reject(err));
    zip.on("error", () => fail(badRequest("invalid_xlsx", "The .xlsx file is damaged.")));
    zip.on("end", () => resolve());
    zip.on("entry", (entry) => {
      if (entry.fileName.endsWith("/")) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(badRequest("invalid_xlsx", "The .xlsx file is damaged."));
        stream.on("data", (chunk) => {
          total += chunk.length;
          if (total > MAX_XLSX_UNPACKED) {
            stream.destroy();
            fail(tooLarge("upload_too_large", "The .xlsx file unpacks to more than a cohort sheet ever needs."));
          }
        });
        stream.on("error", () => fail(badRequest("invalid_xlsx", "The .xlsx file is damaged.")));
        stream.on("end", () => zip.readEntry());
      });
    });
    zip.readEntry();
  });
}
function cellText(v) {
  if (v === null || v === void 0) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return v.trim();
  if ("richText" in v)
    return v.richText.map((r) => r.text).join("").trim();
  if ("formula" in v || "sharedFormula" in v)
    return cellText(v.result);
  if ("text" in v) return String(v.text).trim();
  return "";
}
async function readXlsx(buf) {
  await assertSmallZip(buf);
  const wb = new ExcelJS2.Workbook();
  try {
    await wb.xlsx.load(buf);
  } catch {
    throw badRequest("invalid_xlsx", "The .xlsx file cannot be read.");
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest("empty_sheet", "The workbook has no sheet.");
  let headers = null;
  const rows4 = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const width = headers?.length ?? row.cellCount;
    const cells = Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value));
    if (headers === null) headers = cells;
    else if (cells.some((c) => c !== "")) rows4.push({ line, cells });
  });
  return { headers: headers ?? [], rows: rows4 };
}
async function templateWorkbook(householdLabels) {
  const wb = new ExcelJS2.Workbook();
  const ws = wb.addWorksheet("\u4EBA\u5458\u540D\u5355");
  ws.columns = COHORT_KEYS.map((k) => ({ header: COHORT_HEADERS[k], key: k, width: k === "household" ? 18 : 14 }));
  ws.getRow(1).font = { bold: true };
  ws.getColumn("phone").numFmt = "@";
  ws.getColumn("startDate").numFmt = "yyyy-mm-dd";
  const help = wb.addWorksheet("\u586B\u5199\u8BF4\u660E");
  help.columns = [
    { header: "\u5217", key: "col", width: 14 },
    { header: "\u8BF4\u660E", key: "text", width: 80 }
  ];
  help.getRow(1).font = { bold: true };
  help.addRows([
    { col: "\u59D3\u540D", text: "\u5FC5\u586B\u3002" },
    { col: "\u624B\u673A\u53F7", text: "\u53EF\u7A7A\uFF1B11 \u4F4D\u624B\u673A\u53F7\u6216\u5E26\u533A\u53F7\u7684\u5EA7\u673A\u3002" },
    { col: "\u53BF / \u4E61\u9547 / \u6751", text: "\u53EF\u7A7A\uFF1B\u7528\u4E8E\u5C31\u4E1A\u62A5\u8868\u6309\u5730\u533A\u7EDF\u8BA1\u3002" },
    { col: "\u6237\u7C4D\u7C7B\u522B", text: `\u53EF\u7A7A\uFF08\u9ED8\u8BA4\u4E00\u822C\u6237\uFF09\uFF1B\u586B\u5199\u4EE5\u4E0B\u4E4B\u4E00\uFF1A${householdLabels.join("\u3001")}\u3002` },
    { col: "\u5165\u804C\u65E5\u671F", text: "\u53EF\u7A7A\uFF08\u9ED8\u8BA4\u5BFC\u5165\u5F53\u5929\uFF09\uFF1B\u683C\u5F0F 2026-12-01\u3002" },
    { col: "\u540C\u610F\u5177\u540D", text: "\u662F / \u5426\uFF1B\u53EF\u7A7A\uFF08\u9ED8\u8BA4\u5426\uFF09\u3002\u53EA\u6709\u586B\u201C\u662F\u201D\u7684\u4EBA\u624D\u4F1A\u5728\u62A5\u8868\u4E2D\u663E\u793A\u59D3\u540D\u3002" },
    { col: "\u73ED\u7EC4", text: "\u53EF\u7A7A\uFF1B\u4E0D\u5B58\u5728\u7684\u73ED\u7EC4\u4F1A\u81EA\u52A8\u521B\u5EFA\u3002" },
    { col: "\u7528\u6237\u540D", text: "\u53EF\u7A7A\uFF1B\u7559\u7A7A\u65F6\u7CFB\u7EDF\u81EA\u52A8\u751F\u6210\uFF08w0001\u3001w0002\u2026\u2026\uFF09\u3002" }
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function templateCsv() {
  return "\uFEFF" + COHORT_KEYS.map((k) => COHORT_HEADERS[k]).join(",") + "\r\n";
}

// src/server/services/cohort-import.service.ts
var CohortImportService = class {
  constructor(peopleService, people, teams, households, clock) {
    this.peopleService = peopleService;
    this.people = people;
    this.teams = teams;
    this.households = households;
    this.clock = clock;
  }
  peopleService;
  people;
  teams;
  households;
  clock;
  /** What the import would do; writes nothing. */
  async preview(actor, file) {
    requireRole(actor, "admin", "manager");
    const c = await this.check(actor, file);
    const predicted = nextUsernames(
      await this.people.sequenceNames(),
      c.rows.filter((r) => r.username === null).length
    );
    return {
      ok: !c.problems.some((p) => p.severity === "error"),
      total: c.sources.length,
      valid: c.rows.length,
      columns: c.columns,
      sheet: c.sources,
      problems: c.problems,
      // Names the confirmation will most likely give; another import in between can shift them.
      rows: c.rows.map((r) => ({ ...r, username: r.username ?? predicted.shift() })),
      newTeams: c.newTeams
    };
  }
  /** Creates everyone on the sheet, or nobody when any row has an error. */
  async confirm(actor, file) {
    requireRole(actor, "admin", "manager");
    const c = await this.check(actor, file);
    const errors = c.problems.filter((p) => p.severity === "error");
    if (errors.length > 0) {
      const lines = new Set(errors.map((p) => p.line)).size;
      throw badRequest("import_has_errors", `${lines} row(s) have problems; nobody was created.`, errors);
    }
    if (c.rows.length === 0) throw badRequest("empty_sheet", "The sheet has no people in it.");
    const created = await this.peopleService.createMany(
      actor.org_id,
      actor.id,
      c.rows.map((r) => ({
        displayName: r.displayName,
        username: r.username,
        role: "worker",
        phone: r.phone,
        county: r.county,
        township: r.township,
        village: r.village,
        household: r.household,
        startDate: r.startDate,
        consentNamed: r.consentNamed,
        teamId: null,
        teamName: r.team
      }))
    );
    return {
      created: created.map((p, i) => ({ ...p, line: c.rows[i].line, team: c.rows[i].team })),
      newTeams: c.newTeams
    };
  }
  async template(actor, format) {
    requireRole(actor, "admin", "manager");
    if (format === "csv") return Buffer.from(templateCsv(), "utf8");
    const statuses = (await this.households.list()).filter((h) => h.active);
    return templateWorkbook(statuses.map((h) => h.label_zh));
  }
  async check(actor, file) {
    const sheet = await readSheet(file);
    const { columns, missing } = mapHeader(sheet.headers);
    if (missing.length > 0) {
      throw badRequest("missing_columns", "The sheet needs at least the column \u59D3\u540D (name).", { missing });
    }
    const sources = sheet.rows.map((r) => ({
      line: r.line,
      cells: Object.fromEntries(columns.flatMap((k, i) => k ? [[k, r.cells[i] ?? ""]] : []))
    }));
    const wanted = [...new Set(sources.map((s) => s.cells.username?.trim()).filter((u) => !!u))];
    const [statuses, takenUsernames, knownPhones, teams] = await Promise.all([
      this.households.list(),
      this.people.takenUsernames(wanted),
      this.people.phonesInOrg(actor.org_id),
      this.teams.list(actor.org_id)
    ]);
    const { rows: rows4, problems } = checkCohort(sources, {
      statuses,
      takenUsernames,
      knownPhones,
      today: utcDate(this.clock.now())
    });
    const existing = new Set(teams.map((t) => t.name));
    const newTeams = [...new Set(rows4.map((r) => r.team).filter((t) => !!t && !existing.has(t)))];
    return {
      sources,
      rows: rows4,
      problems,
      newTeams,
      columns: sheet.headers.map((h, i) => ({ header: h, field: columns[i] }))
    };
  }
};

// src/server/presenters/people.presenter.ts
var iso2 = (ms) => ms === null ? null : new Date(ms).toISOString();
function personView(p) {
  return {
    id: p.id,
    username: p.username,
    displayName: p.display_name,
    role: p.role,
    disabled: p.disabled === 1,
    phone: p.phone,
    county: p.county,
    township: p.township,
    village: p.village,
    household: p.household,
    startDate: p.start_date,
    endDate: p.end_date,
    consentNamed: p.consent_named === 1,
    mustChangePassword: p.must_change_password === 1,
    teamId: p.team_id,
    teamName: p.team_name ?? null,
    createdAt: iso2(p.created_at)
  };
}
function householdView(h) {
  return { code: h.code, labelZh: h.label_zh, labelEn: h.label_en, sort: h.sort, active: h.active === 1 };
}
function teamView(t) {
  return {
    id: t.id,
    name: t.name,
    leadUserId: t.lead_user_id,
    leadName: t.lead_name ?? null,
    members: Number(t.members ?? 0),
    createdAt: iso2(t.created_at)
  };
}
function invitationView(i, now) {
  const status = i.revoked_at !== null ? "revoked" : i.expires_at <= now ? "expired" : i.uses >= i.max_uses ? "used_up" : "active";
  return {
    id: i.id,
    role: i.role,
    teamId: i.team_id,
    teamName: i.team_name,
    expiresAt: iso2(i.expires_at),
    maxUses: i.max_uses,
    uses: i.uses,
    status,
    createdAt: iso2(i.created_at),
    createdBy: i.created_by_name ?? null
  };
}

// src/server/services/household.service.ts
var DEFAULT_CODE = "none";
var HouseholdService = class {
  constructor(households) {
    this.households = households;
  }
  households;
  async list(actor) {
    requireRole(actor, "admin", "manager");
    return (await this.households.list()).map(householdView);
  }
  async create(actor, body) {
    requireRole(actor, "admin");
    try {
      const row = await this.households.insert({
        code: body.code,
        label_zh: body.labelZh,
        label_en: body.labelEn,
        sort: body.sort,
        active: 1
      });
      return householdView(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("household_status_exists", `The code ${body.code} exists already.`);
      throw err;
    }
  }
  async update(actor, code, patch) {
    requireRole(actor, "admin");
    const current = await this.households.get(code);
    if (!current) throw notFound("household_status");
    if (Object.values(patch).every((v) => v === void 0)) return householdView(current);
    if (code === DEFAULT_CODE && patch.active === false) {
      throw badRequest("household_status_required", 'The default status "none" stays active.');
    }
    const row = await this.households.update(code, {
      label_zh: patch.labelZh,
      label_en: patch.labelEn,
      sort: patch.sort,
      active: patch.active === void 0 ? void 0 : patch.active ? 1 : 0
    });
    return householdView(row);
  }
  async delete(actor, code) {
    requireRole(actor, "admin");
    if (!await this.households.get(code)) throw notFound("household_status");
    if (code === DEFAULT_CODE) throw badRequest("household_status_required", 'The default status "none" stays.');
    if (await this.households.inUse(code)) {
      throw conflict("household_status_in_use", "People hold this status; make it inactive instead.");
    }
    await this.households.delete(code);
    return { ok: true };
  }
};

// src/server/services/people-codes.ts
import { randomBytes as randomBytes2, randomInt } from "node:crypto";
var ONE_TIME_CODE_TTL_MS = 72 * 36e5;
function newOneTimeCode() {
  return String(randomInt(0, 1e8)).padStart(8, "0");
}
var INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
function newInvitationCode() {
  let s = "";
  for (let i = 0; i < 8; i++) s += INVITE_ALPHABET[randomInt(0, INVITE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}
function invitationCodeHash(code) {
  return sha2562(code.toUpperCase().replace(/[^A-Z0-9]/g, ""));
}
async function openSession(users, config, userId, now) {
  const token = randomBytes2(32).toString("base64url");
  await users.createSession(sha2562(token), userId, now, now + config.sessionDays * 864e5);
  return token;
}

// src/server/services/invitation.service.ts
var SIGNUP_KEY = "#signup";
var gone = (id2, message) => new AppError(410, id2, message);
var InvitationService = class {
  constructor(invitations, peopleService, users, failures, config, clock) {
    this.invitations = invitations;
    this.peopleService = peopleService;
    this.users = users;
    this.failures = failures;
    this.config = config;
    this.clock = clock;
  }
  invitations;
  peopleService;
  users;
  failures;
  config;
  clock;
  /** A new code, shown once. */
  async create(actor, body) {
    requireRole(actor, "admin", "manager");
    const team = body.teamId ? await this.peopleService.assertTeam(actor.org_id, body.teamId) : null;
    const code = newInvitationCode();
    const now = this.clock.now();
    const row = await this.invitations.create({
      org_id: actor.org_id,
      code_hash: invitationCodeHash(code),
      role: body.role,
      team_id: team?.id ?? null,
      expires_at: now + body.expiresInHours * 36e5,
      max_uses: body.maxUses,
      uses: 0,
      created_by: actor.id,
      created_at: now,
      revoked_at: null
    });
    return {
      ...invitationView({ ...row, team_name: team?.name ?? null, created_by_name: actor.display_name }, now),
      code,
      signupPath: `/signup?code=${encodeURIComponent(code)}`
    };
  }
  async list(actor) {
    requireRole(actor, "admin", "manager");
    const now = this.clock.now();
    return (await this.invitations.list(actor.org_id)).map((i) => invitationView(i, now));
  }
  async revoke(actor, id2) {
    requireRole(actor, "admin", "manager");
    const inv = await this.invitations.get(id2);
    if (!inv || inv.org_id !== actor.org_id) throw notFound("invitation");
    await this.invitations.revoke(id2, this.clock.now());
    return { ok: true };
  }
  /** Public: what a code is for, so the sign-up page can say which base it joins. */
  async check(code, ip) {
    const inv = await this.findLive(code, ip);
    return {
      orgName: inv.org_name,
      teamName: inv.team_name,
      role: inv.role,
      expiresAt: new Date(inv.expires_at).toISOString()
    };
  }
  /** Public: creates the person with her own password and opens her session. */
  async signup(body, ip) {
    const inv = await this.findLive(body.code, ip);
    const now = this.clock.now();
    const [created] = await this.peopleService.createMany(
      inv.org_id,
      null,
      [
        {
          displayName: body.displayName,
          username: null,
          role: inv.role === "reviewer" ? "reviewer" : "worker",
          phone: this.peopleService.phoneOf(body.phone) ?? null,
          county: body.county?.trim() || null,
          township: body.township?.trim() || null,
          village: body.village?.trim() || null,
          // A manager records household status after checking it; nobody declares her own.
          household: "none",
          startDate: utcDate(now),
          consentNamed: body.consentNamed,
          teamId: inv.team_id
        }
      ],
      {
        password: body.password,
        inTx: async (trx) => {
          if (!await this.invitations.consume(trx, inv.id, now)) throw this.refusal(inv, now, true);
        }
      }
    );
    const token = await openSession(this.users, this.config, created.id, now);
    return { token, username: created.username, user: await this.users.get(created.id) };
  }
  async findLive(code, ip) {
    const now = this.clock.now();
    const since = now - this.config.loginWindowSeconds * 1e3;
    const address = addressKey(ip);
    if ((await this.failures.count(SIGNUP_KEY, address, since)).pair >= this.config.loginMaxFailures) {
      throw tooManyRequests("signup_rate_limited", "Too many wrong codes. Wait a few minutes and try again.");
    }
    const inv = await this.invitations.findByHash(invitationCodeHash(code));
    if (!inv) {
      await this.failures.record(SIGNUP_KEY, address, now);
      throw notFound("invitation");
    }
    const refusal = this.refusal(inv, now, false);
    if (refusal) throw refusal;
    return inv;
  }
  /** Why an invitation cannot be used now; `used` says its last use was just taken by someone else. */
  refusal(inv, now, used) {
    if (inv.revoked_at !== null) return gone("invitation_revoked", "This invitation was withdrawn.");
    if (inv.expires_at <= now) return gone("invitation_expired", "This invitation has expired.");
    if (used || inv.uses >= inv.max_uses) return gone("invitation_used_up", "This invitation has been used up.");
    return null;
  }
};

// src/server/services/people.service.ts
import argon22 from "argon2";
var blankToNull = (s) => s === void 0 ? void 0 : s?.trim() || null;
var PeopleService = class {
  constructor(db, people, teams, households, users, config, clock) {
    this.db = db;
    this.people = people;
    this.teams = teams;
    this.households = households;
    this.users = users;
    this.config = config;
    this.clock = clock;
  }
  db;
  people;
  teams;
  households;
  users;
  config;
  clock;
  async list(actor, query) {
    requireRole(actor, "admin", "manager");
    return (await this.people.list(actor.org_id, query)).map(personView);
  }
  /** A profile and its change log, newest first. */
  async get(actor, id2) {
    requireRole(actor, "admin", "manager");
    const p = await this.personOf(actor, id2);
    const changes = await this.people.changes(id2);
    return {
      ...personView(p),
      changes: changes.map((c) => ({
        id: c.id,
        field: c.field,
        oldValue: c.old_value,
        newValue: c.new_value,
        at: new Date(c.at).toISOString(),
        changedBy: c.changed_by,
        changedByName: c.changed_by_name
      }))
    };
  }
  /** One person, with a one-time code for her first login. */
  async add(actor, body) {
    requireRole(actor, "admin", "manager");
    await this.assertHousehold(body.household);
    if (body.teamId) await this.assertTeam(actor.org_id, body.teamId);
    const [created] = await this.createMany(actor.org_id, actor.id, [
      {
        displayName: body.displayName,
        username: body.username ?? null,
        role: body.role,
        phone: this.phoneOf(body.phone) ?? null,
        county: blankToNull(body.county) ?? null,
        township: blankToNull(body.township) ?? null,
        village: blankToNull(body.village) ?? null,
        household: body.household,
        startDate: body.startDate ?? utcDate(this.clock.now()),
        consentNamed: body.consentNamed,
        teamId: body.teamId ?? null
      }
    ]);
    return {
      person: personView(await this.people.get(created.id)),
      code: created.code,
      expiresAt: created.expiresAt
    };
  }
  /**
   * Creates people in one transaction: all or none. Each gets a one-time code unless
   * `password` is given (sign-up, where the person chose her own). `inTx` runs first
   * inside the same transaction (an invitation taking one use).
   */
  async createMany(orgId, by, inputs, options = {}) {
    const codes = inputs.map(() => options.password === void 0 ? newOneTimeCode() : null);
    const hashes = await hashAll(codes.map((c) => c ?? options.password));
    const now = this.clock.now();
    const expiresAt = now + ONE_TIME_CODE_TTL_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await withTx(this.db, async (trx) => {
          await options.inTx?.(trx);
          const generated = nextUsernames(
            await this.people.sequenceNames(trx),
            inputs.filter((p) => p.username === null).length
          );
          const teamIds = /* @__PURE__ */ new Map();
          const out = [];
          for (const [i, p] of inputs.entries()) {
            const username = p.username ?? generated.shift();
            let teamId = p.teamId;
            if (p.teamName) {
              teamId = teamIds.get(p.teamName) ?? (await this.teams.findByName(trx, orgId, p.teamName))?.id ?? (await this.teams.create(trx, orgId, p.teamName, null, now)).id;
              teamIds.set(p.teamName, teamId);
            }
            const { id: id2 } = await this.people.insert(trx, {
              org_id: orgId,
              username,
              display_name: p.displayName,
              password_hash: hashes[i],
              role: p.role,
              locale: "zh-CN",
              disabled: 0,
              phone: p.phone,
              county: p.county,
              township: p.township,
              village: p.village,
              household: p.household,
              start_date: p.startDate,
              end_date: null,
              consent_named: p.consentNamed ? 1 : 0,
              must_change_password: codes[i] === null ? 0 : 1,
              team_id: teamId,
              created_at: now
            });
            if (codes[i] !== null) {
              await this.people.putOneTimeCode(trx, {
                user_id: id2,
                code_hash: hashes[i],
                expires_at: expiresAt,
                used_at: null,
                created_by: by,
                created_at: now
              });
            }
            const log2 = (field, value) => ({
              user_id: id2,
              changed_by: by,
              field,
              old_value: null,
              new_value: value,
              at: now
            });
            await this.people.logChanges(trx, [
              log2("created", username),
              log2("household", p.household),
              log2("consent_named", p.consentNamed ? "1" : "0")
            ]);
            out.push({
              id: id2,
              username,
              displayName: p.displayName,
              code: codes[i],
              expiresAt: codes[i] === null ? null : new Date(expiresAt).toISOString()
            });
          }
          return out;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (attempt >= 3 || inputs.every((p) => p.username !== null)) {
          throw conflict("username_taken", "A user name in this request is already taken.");
        }
      }
    }
  }
  /** Edits a profile; each changed field is logged with who and when. */
  async update(actor, id2, patch) {
    requireRole(actor, "admin", "manager");
    const p = await this.personOf(actor, id2);
    const values = {};
    if (patch.displayName !== void 0) values.display_name = patch.displayName;
    if (patch.phone !== void 0) values.phone = this.phoneOf(patch.phone) ?? null;
    if (patch.county !== void 0) values.county = blankToNull(patch.county) ?? null;
    if (patch.township !== void 0) values.township = blankToNull(patch.township) ?? null;
    if (patch.village !== void 0) values.village = blankToNull(patch.village) ?? null;
    if (patch.household !== void 0 && patch.household !== p.household) {
      await this.assertHousehold(patch.household);
      values.household = patch.household;
    }
    if (patch.startDate !== void 0) values.start_date = patch.startDate;
    if (patch.endDate !== void 0) values.end_date = patch.endDate;
    if (patch.consentNamed !== void 0) values.consent_named = patch.consentNamed ? 1 : 0;
    if (patch.teamId !== void 0) {
      if (patch.teamId !== null) await this.assertTeam(actor.org_id, patch.teamId);
      values.team_id = patch.teamId;
    }
    await this.apply(p, values, actor.id);
    return personView(await this.people.get(id2));
  }
  /** Locks a person out; `leaving` also records the day she left the base. */
  async disable(actor, id2, leaving, endDate) {
    requireRole(actor, "admin", "manager");
    const p = await this.personOf(actor, id2);
    if (p.id === actor.id) throw badRequest("cannot_disable_self", "You cannot disable your own account.");
    const values = { disabled: 1 };
    if (leaving) values.end_date = endDate ?? utcDate(this.clock.now());
    await this.apply(p, values, actor.id, (trx) => this.people.deleteSessions(trx, id2));
    return personView(await this.people.get(id2));
  }
  /** Lets a disabled person back in; someone who had left is back at the base, so her end date goes. */
  async enable(actor, id2) {
    requireRole(actor, "admin", "manager");
    const p = await this.personOf(actor, id2);
    await this.apply(p, { disabled: 0, end_date: null }, actor.id);
    return personView(await this.people.get(id2));
  }
  /**
   * A new one-time code: the old password and every open session stop working, and
   * the first login with the code can only set a new password.
   */
  async resetCode(actor, id2) {
    requireRole(actor, "admin", "manager");
    const p = await this.personOf(actor, id2);
    if (p.id === actor.id) throw badRequest("cannot_reset_self", "Change your own password instead.");
    const code = newOneTimeCode();
    const hash = await hashPassword(code);
    const now = this.clock.now();
    const expiresAt = now + ONE_TIME_CODE_TTL_MS;
    await withTx(this.db, async (trx) => {
      await this.people.update(trx, id2, { password_hash: hash, must_change_password: 1 });
      await this.people.putOneTimeCode(trx, {
        user_id: id2,
        code_hash: hash,
        expires_at: expiresAt,
        used_at: null,
        created_by: actor.id,
        created_at: now
      });
      await this.people.deleteSessions(trx, id2);
      await this.people.logChanges(trx, [
        { user_id: id2, changed_by: actor.id, field: "password", old_value: null, new_value: "reset", at: now }
      ]);
    });
    return {
      id: id2,
      username: p.username,
      displayName: p.display_name,
      code,
      expiresAt: new Date(expiresAt).toISOString()
    };
  }
  /**
   * Sets the caller's own password. After a one-time code no current password is
   * asked (the code was it); otherwise it is. Every session of the person ends and a
   * fresh one is returned, so the restricted code session is gone for good.
   */
  async setPassword(actor, password, currentPassword) {
    const row = await this.people.passwordHash(actor.id);
    if (actor.must_change_password) {
      if (await argon22.verify(row.password_hash, password)) {
        throw badRequest("password_unchanged", "Choose a password of your own, not the one-time code.");
      }
    } else if (!currentPassword || !await argon22.verify(row.password_hash, currentPassword)) {
      throw badRequest("wrong_password", "The current password is not right.");
    }
    const hash = await hashPassword(password);
    const now = this.clock.now();
    await withTx(this.db, async (trx) => {
      await this.people.update(trx, actor.id, { password_hash: hash, must_change_password: 0 });
      await this.people.markCodeUsed(trx, actor.id, now);
      await this.people.deleteSessions(trx, actor.id);
      await this.people.logChanges(trx, [
        { user_id: actor.id, changed_by: actor.id, field: "password", old_value: null, new_value: "set", at: now }
      ]);
    });
    const token = await openSession(this.users, this.config, actor.id, now);
    return { token, user: await this.users.get(actor.id) };
  }
  // --- checks shared with the import, teams and sign-up ------------------------
  /** A person of the actor's organisation that the actor may manage; outsiders get "not found". */
  async personOf(actor, id2) {
    const p = await this.people.get(id2);
    if (!p || p.org_id !== actor.org_id) throw notFound("person");
    if (actor.role === "manager" && p.role !== "worker" && p.role !== "reviewer") {
      throw forbidden("role_not_allowed", "Managers manage workers and reviewers.");
    }
    return p;
  }
  async assertHousehold(code) {
    const h = await this.households.get(code);
    if (!h || !h.active) {
      throw badRequest("unknown_household_status", `"${code}" is not a household status in use.`);
    }
  }
  async assertTeam(orgId, teamId) {
    const t = await this.teams.get(teamId);
    if (!t || t.org_id !== orgId) throw badRequest("unknown_team", "There is no such team.");
    return t;
  }
  phoneOf(input) {
    if (input === void 0) return void 0;
    if (input === null || !input.trim()) return null;
    const phone = normalizePhone(input);
    if (!phone) throw badRequest("bad_phone", "That is not a phone number (11-digit mobile or a landline).");
    return phone;
  }
  /** Writes the fields that changed and one log row for each, in one transaction. */
  async apply(p, values, by, alsoInTx) {
    const now = this.clock.now();
    const changed = {};
    const log2 = [];
    for (const [field, value] of Object.entries(values)) {
      const old = p[field];
      if ((old ?? null) === (value ?? null)) continue;
      changed[field] = value;
      log2.push({
        user_id: p.id,
        changed_by: by,
        field,
        old_value: old === null ? null : String(old),
        new_value: value === null ? null : String(value),
        at: now
      });
    }
    if (log2.length === 0 && !alsoInTx) return;
    await withTx(this.db, async (trx) => {
      if (log2.length > 0) {
        await this.people.update(trx, p.id, changed);
        await this.people.logChanges(trx, log2);
      }
      await alsoInTx?.(trx);
    });
  }
};
async function hashAll(secrets) {
  const out = [];
  for (let i = 0; i < secrets.length; i += 4)
    out.push(...await Promise.all(secrets.slice(i, i + 4).map(hashPassword)));
  return out;
}

// src/server/services/project-membership.ts
var MEMBERS_TTL_MS = 1e3;
var ProjectMembership = class {
  constructor(teams) {
    this.teams = teams;
  }
  teams;
  restricted = new TtlCache(MEMBERS_TTL_MS);
  async mayWork(projectId, userId) {
    if (!await this.restricted.get(projectId, () => this.teams.hasProjectMembers(projectId))) return true;
    return this.teams.isProjectMember(projectId, userId);
  }
  async assertMayWork(projectId, userId) {
    if (!await this.mayWork(projectId, userId)) {
      throw forbidden("not_project_member", "This project is assigned to other people.");
    }
  }
  /** Of `projectIds`, those the worker may not work on. */
  closedTo(projectIds, userId) {
    return this.teams.closedTo(projectIds, userId);
  }
  /** Called after this process changes a project's members. */
  changed(projectId) {
    this.restricted.delete(projectId);
  }
};

// src/server/services/team.service.ts
var TeamService = class {
  constructor(db, teams, people, projects, membership, clock) {
    this.db = db;
    this.teams = teams;
    this.people = people;
    this.projects = projects;
    this.membership = membership;
    this.clock = clock;
  }
  db;
  teams;
  people;
  projects;
  membership;
  clock;
  async list(actor) {
    requireRole(actor, "admin", "manager");
    return (await this.teams.list(actor.org_id)).map(teamView);
  }
  async create(actor, body) {
    requireRole(actor, "admin", "manager");
    if (body.leadUserId) await this.assertPeople(actor, [body.leadUserId]);
    try {
      const row = await this.teams.create(this.db, actor.org_id, body.name, body.leadUserId ?? null, this.clock.now());
      return this.view(actor, row.id);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("team_name_taken", `There is a team called ${body.name} already.`);
      throw err;
    }
  }
  async update(actor, id2, patch) {
    requireRole(actor, "admin", "manager");
    const team = await this.teamOf(actor, id2);
    if (patch.leadUserId) await this.assertPeople(actor, [patch.leadUserId]);
    if (patch.name === void 0 && patch.leadUserId === void 0) return this.view(actor, team.id);
    try {
      await this.teams.update(id2, { name: patch.name, lead_user_id: patch.leadUserId });
      return this.view(actor, id2);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("team_name_taken", `There is a team called ${patch.name} already.`);
      throw err;
    }
  }
  /** The team goes; its people stay, without a team, and lose what they had only through it. */
  async delete(actor, id2) {
    requireRole(actor, "admin", "manager");
    await this.teamOf(actor, id2);
    const members = await this.teams.members(id2);
    const grants = await this.projectsOfTeam(id2);
    await withTx(this.db, async (trx) => {
      await this.logTeamMoves(trx, actor, members, null);
      await this.teams.delete(trx, id2);
    });
    for (const p of grants) this.membership.changed(p);
    return { ok: true };
  }
  async members(actor, id2) {
    requireRole(actor, "admin", "manager");
    await this.teamOf(actor, id2);
    return (await this.teams.members(id2)).map((m) => ({ id: m.id, username: m.username, displayName: m.display_name }));
  }
  /** The team's members become exactly `userIds`; people moved in leave their old team. */
  async setMembers(actor, id2, userIds) {
    requireRole(actor, "admin", "manager");
    await this.teamOf(actor, id2);
    const people = await this.assertPeople(actor, userIds);
    const current = await this.teams.members(id2);
    const wanted = new Set(userIds);
    const leaving = current.filter((m) => !wanted.has(m.id));
    const joining = people.filter((p) => p.team_id !== id2);
    await withTx(this.db, async (trx) => {
      await this.logTeamMoves(trx, actor, leaving, null);
      await this.logTeamMoves(trx, actor, joining, id2);
      await this.teams.setTeam(
        trx,
        leaving.map((m) => m.id),
        null
      );
      await this.teams.setTeam(
        trx,
        joining.map((p) => p.id),
        id2
      );
    });
    for (const p of await this.projectsOfTeam(id2)) this.membership.changed(p);
    return this.members(actor, id2);
  }
  // --- project members ---------------------------------------------------------
  async projectMembers(actor, projectId) {
    assertCanManage(actor, await this.projects.get(projectId));
    const rows4 = await this.teams.projectMembers(projectId);
    return {
      open: rows4.length === 0,
      users: rows4.filter((r) => r.user_id !== null).map((r) => ({ id: r.user_id, username: r.username, displayName: r.user_name })),
      teams: rows4.filter((r) => r.team_id !== null).map((r) => ({ id: r.team_id, name: r.team_name }))
    };
  }
  /** Replaces a project's members; empty lists open it to every worker of the organisation again. */
  async setProjectMembers(actor, projectId, userIds, teamIds) {
    assertCanManage(actor, await this.projects.get(projectId));
    await this.assertPeople(actor, userIds);
    await this.assertTeams(actor, teamIds);
    await withTx(this.db, async (trx) => {
      await this.teams.clearProjectMembers(trx, projectId);
      await this.teams.addProjectMembers(trx, projectId, userIds, teamIds, this.clock.now());
    });
    this.membership.changed(projectId);
    return this.projectMembers(actor, projectId);
  }
  /** Adds people or teams to a project, keeping those it has (the Workers page's "assign to project"). */
  async addProjectMembers(actor, projectId, userIds, teamIds) {
    assertCanManage(actor, await this.projects.get(projectId));
    await this.assertPeople(actor, userIds);
    await this.assertTeams(actor, teamIds);
    await withTx(this.db, (trx) => this.teams.addProjectMembers(trx, projectId, userIds, teamIds, this.clock.now()));
    this.membership.changed(projectId);
    return this.projectMembers(actor, projectId);
  }
  // --- checks --------------------------------------------------------------------
  /** One team as the list shows it, with its lead's name and member count. */
  async view(actor, id2) {
    return teamView((await this.teams.list(actor.org_id)).find((t) => t.id === id2));
  }
  async teamOf(actor, id2) {
    const team = await this.teams.get(id2);
    if (!team || team.org_id !== actor.org_id) throw notFound("team");
    return team;
  }
  /** Every id is a worker or reviewer of the actor's organisation. */
  async assertPeople(actor, ids) {
    const unique = [...new Set(ids)];
    const rows4 = await this.people.listByIds(actor.org_id, unique);
    const ok = rows4.filter((r) => r.role === "worker" || r.role === "reviewer");
    if (ok.length !== unique.length) {
      throw badRequest("unknown_person", "Some of these people are not workers or reviewers of this base.");
    }
    return ok;
  }
  async assertTeams(actor, ids) {
    for (const id2 of new Set(ids)) {
      const t = await this.teams.get(id2);
      if (!t || t.org_id !== actor.org_id) throw badRequest("unknown_team", "There is no such team.");
    }
  }
  projectsOfTeam(teamId) {
    return this.teams.projectsOfTeam(teamId);
  }
  logTeamMoves(trx, actor, people, to) {
    const now = this.clock.now();
    return this.people.logChanges(
      trx,
      people.filter((p) => p.team_id !== to).map((p) => ({
        user_id: p.id,
        changed_by: actor.id,
        field: "team_id",
        old_value: p.team_id === null ? null : String(p.team_id),
        new_value: to === null ? null : String(to),
        at: now
      }))
    );
  }
};

// src/server/repositories/certification.repository.ts
var CertificationRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** The lease's check: one primary-key-sized lookup on (user_id, template_id). */
  async isActive(userId, templateId) {
    const row = await this.db.selectFrom("certifications").select("id").where("user_id", "=", userId).where("template_id", "=", templateId).where("status", "=", "active").executeTakeFirst();
    return row !== void 0;
  }
  get(userId, templateId, executor = this.db) {
    return executor.selectFrom("certifications").selectAll().where("user_id", "=", userId).where("template_id", "=", templateId).executeTakeFirst();
  }
  ofUser(userId) {
    return this.db.selectFrom("certifications").selectAll().where("user_id", "=", userId).orderBy("template_id").execute();
  }
  /** An organisation's certifications with the worker's name, for managers. */
  ofOrg(orgId, templateId) {
    let q = this.db.selectFrom("certifications as c").innerJoin("users as u", "u.id", "c.user_id").select([
      "c.user_id",
      "u.username",
      "u.display_name",
      "c.template_id",
      "c.level",
      "c.status",
      "c.certified_at",
      "c.attempt_id",
      "c.granted_by"
    ]).where("c.org_id", "=", orgId);
    if (templateId) q = q.where("c.template_id", "=", templateId);
    return q.orderBy("u.username").orderBy("c.template_id").execute();
  }
  /** Grants or renews a certification (active, with this level). */
  upsert(trx, v) {
    const values = {
      user_id: v.userId,
      org_id: v.orgId,
      template_id: v.templateId,
      level: v.level,
      status: "active",
      certified_at: v.now,
      course_id: v.courseId ?? null,
      attempt_id: v.attemptId ?? null,
      granted_by: v.grantedBy ?? null,
      updated_at: v.now
    };
    return trx.insertInto("certifications").values(values).onConflict(
      (oc) => oc.columns(["user_id", "template_id"]).doUpdateSet({
        level: values.level,
        status: "active",
        certified_at: values.certified_at,
        course_id: values.course_id,
        attempt_id: values.attempt_id,
        granted_by: values.granted_by,
        updated_at: values.updated_at
      })
    ).execute();
  }
  async revoke(userId, templateId, now) {
    const r = await this.db.updateTable("certifications").set({ status: "revoked", updated_at: now }).where("user_id", "=", userId).where("template_id", "=", templateId).where("status", "=", "active").executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
};

// src/server/repositories/training-attempt.repository.ts
var TrainingAttemptRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  // --- attempts -------------------------------------------------------------------
  createAttempt(trx, values) {
    return trx.insertInto("training_attempts").values(values).returningAll().executeTakeFirstOrThrow();
  }
  attempt(id2, executor = this.db) {
    return executor.selectFrom("training_attempts").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  openAttempt(userId, courseId, executor = this.db) {
    return executor.selectFrom("training_attempts").selectAll().where("user_id", "=", userId).where("course_id", "=", courseId).where("status", "=", "open").executeTakeFirst();
  }
  /** The worker's latest finished attempt at a course: what the cool-down counts from. */
  lastFinished(userId, courseId, executor = this.db) {
    return executor.selectFrom("training_attempts").selectAll().where("user_id", "=", userId).where("course_id", "=", courseId).where("status", "!=", "open").orderBy("finished_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
  }
  attemptsOf(userId, courseId) {
    return this.db.selectFrom("training_attempts").selectAll().where("user_id", "=", userId).where("course_id", "=", courseId).orderBy("id", "desc").execute();
  }
  /** Closes an open attempt with its result; false when it was no longer open. */
  async finishAttempt(trx, id2, result, now) {
    const r = await trx.updateTable("training_attempts").set({ ...result, finished_at: now }).where("id", "=", id2).where("status", "=", "open").executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  /** Every attempt at a course with its worker, newest first: the manager's results. */
  courseAttempts(courseId) {
    return this.db.selectFrom("training_attempts as a").innerJoin("users as u", "u.id", "a.user_id").select([
      "a.id",
      "a.user_id",
      "u.username",
      "u.display_name",
      "a.status",
      "a.started_at",
      "a.finished_at",
      "a.accuracy",
      "a.completeness",
      "a.level"
    ]).where("a.course_id", "=", courseId).orderBy("a.id", "desc").execute();
  }
  // --- answers --------------------------------------------------------------------
  insertPractice(values) {
    return this.db.insertInto("training_answers").values(values).returning("id").executeTakeFirstOrThrow();
  }
  /** Stores (or replaces) an exam answer; one per attempt and item. */
  upsertExamAnswer(trx, values) {
    return trx.insertInto("training_answers").values(values).onConflict(
      (oc) => oc.columns(["attempt_id", "item_id"]).where("attempt_id", "is not", null).doUpdateSet({
        data: values.data,
        score: values.score,
        complete: values.complete,
        updated_at: values.updated_at
      })
    ).execute();
  }
  attemptAnswers(attemptId, executor = this.db) {
    return executor.selectFrom("training_answers").select(["item_id", "data", "score", "complete", "updated_at"]).where("attempt_id", "=", attemptId).execute();
  }
  /** A worker's practice answers in a course, newest first. */
  practiceAnswers(userId, courseId, limit = 500) {
    return this.db.selectFrom("training_answers").select(["item_id", "score", "complete", "point_px", "created_at"]).where("user_id", "=", userId).where("course_id", "=", courseId).where("kind", "=", "practice").orderBy("id", "desc").limit(limit).execute();
  }
  /** Per worker: practice answers in a course and their mean score. */
  async practiceSummary(courseId) {
    const rows4 = await this.db.selectFrom("training_answers").select((eb) => ["user_id", eb.fn.countAll().as("n"), eb.fn.avg("score").as("mean")]).where("course_id", "=", courseId).where("kind", "=", "practice").groupBy("user_id").execute();
    return new Map(rows4.map((r) => [r.user_id, { n: Number(r.n), mean: Number(r.mean) }]));
  }
};

// src/server/repositories/training.repository.ts
var TrainingRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  // --- courses --------------------------------------------------------------------
  createCourse(values, executor = this.db) {
    return executor.insertInto("training_courses").values(values).returningAll().executeTakeFirstOrThrow();
  }
  course(id2) {
    return this.db.selectFrom("training_courses").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  courseForTemplate(orgId, templateId) {
    return this.db.selectFrom("training_courses").selectAll().where("org_id", "=", orgId).where("template_id", "=", templateId).executeTakeFirst();
  }
  courses(orgId, publishedOnly) {
    let q = this.db.selectFrom("training_courses").selectAll().where("org_id", "=", orgId);
    if (publishedOnly) q = q.where("status", "=", "published");
    return q.orderBy("id").execute();
  }
  updateCourse(id2, values) {
    return this.db.updateTable("training_courses").set(values).where("id", "=", id2).returningAll().executeTakeFirstOrThrow();
  }
  // --- lessons --------------------------------------------------------------------
  async addLesson(values, executor = this.db) {
    const last = await executor.selectFrom("training_lessons").select((eb) => eb.fn.max("position").as("p")).where("course_id", "=", values.course_id).executeTakeFirst();
    const position = Number(last?.p ?? 0) + 1;
    return executor.insertInto("training_lessons").values({ ...values, position }).returningAll().executeTakeFirstOrThrow();
  }
  lesson(id2) {
    return this.db.selectFrom("training_lessons").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  /** A course's lessons in order; `withBody` false leaves the markdown out. */
  lessons(courseId) {
    return this.db.selectFrom("training_lessons").select(["id", "course_id", "position", "title", "updated_at"]).where("course_id", "=", courseId).orderBy("position").orderBy("id").execute();
  }
  lessonsWithBody(courseId) {
    return this.db.selectFrom("training_lessons").selectAll().where("course_id", "=", courseId).orderBy("position").orderBy("id").execute();
  }
  updateLesson(id2, values) {
    return this.db.updateTable("training_lessons").set(values).where("id", "=", id2).returningAll().executeTakeFirstOrThrow();
  }
  deleteLesson(id2) {
    return this.db.deleteFrom("training_lessons").where("id", "=", id2).execute();
  }
  // --- lesson images --------------------------------------------------------------
  addAsset(values, executor = this.db) {
    return executor.insertInto("training_assets").values(values).onConflict((oc) => oc.columns(["course_id", "blob_sha256"]).doNothing()).execute();
  }
  asset(courseId, sha2563) {
    return this.db.selectFrom("training_assets").selectAll().where("course_id", "=", courseId).where("blob_sha256", "=", sha2563).executeTakeFirst();
  }
  assets(courseId) {
    return this.db.selectFrom("training_assets").selectAll().where("course_id", "=", courseId).orderBy("created_at").execute();
  }
  // --- practice and exam items ----------------------------------------------------
  async addItem(values, executor = this.db) {
    const last = await executor.selectFrom("training_items").select((eb) => eb.fn.max("position").as("p")).where("course_id", "=", values.course_id).where("kind", "=", values.kind).executeTakeFirst();
    const position = Number(last?.p ?? 0) + 1;
    return executor.insertInto("training_items").values({ ...values, position }).returningAll().executeTakeFirstOrThrow();
  }
  item(id2) {
    return this.db.selectFrom("training_items").selectAll().where("id", "=", id2).executeTakeFirst();
  }
  /** A course's active items of one kind, or of both, in order. */
  items(courseId, kind) {
    let q = this.db.selectFrom("training_items").selectAll().where("course_id", "=", courseId).where("active", "=", 1);
    if (kind) q = q.where("kind", "=", kind);
    return q.orderBy("kind").orderBy("position").orderBy("id").execute();
  }
  /** Active items that have a reference: the ones practice and exams use. */
  async usableItems(courseId, kind) {
    return (await this.items(courseId, kind)).filter((i) => i.reference !== null);
  }
  async itemsByIds(ids, executor = this.db) {
    if (ids.length === 0) return [];
    return executor.selectFrom("training_items").selectAll().where("id", "in", ids).execute();
  }
  updateItem(id2, values) {
    return this.db.updateTable("training_items").set(values).where("id", "=", id2).returningAll().executeTakeFirstOrThrow();
  }
  /** Counts per course and kind of the usable items, for course lists. */
  async itemCounts(courseIds) {
    const out = /* @__PURE__ */ new Map();
    for (const id2 of courseIds) out.set(id2, { practice: 0, exam: 0, lessons: 0 });
    if (courseIds.length === 0) return out;
    const items = await this.db.selectFrom("training_items").select((eb) => ["course_id", "kind", eb.fn.countAll().as("n")]).where("course_id", "in", courseIds).where("active", "=", 1).where("reference", "is not", null).groupBy(["course_id", "kind"]).execute();
    for (const r of items) out.get(r.course_id)[r.kind] = Number(r.n);
    const lessons = await this.db.selectFrom("training_lessons").select((eb) => ["course_id", eb.fn.countAll().as("n")]).where("course_id", "in", courseIds).groupBy("course_id").execute();
    for (const r of lessons) out.get(r.course_id).lessons = Number(r.n);
    return out;
  }
};

// src/server/services/certification.service.ts
var GATE_TTL_MS = 2e3;
var CertificationService = class {
  constructor(db, certs, users, projects, quality, clock) {
    this.db = db;
    this.certs = certs;
    this.users = users;
    this.projects = projects;
    this.quality = quality;
    this.clock = clock;
  }
  db;
  certs;
  users;
  projects;
  quality;
  clock;
  gate = new TtlCache(GATE_TTL_MS);
  /** The lease's gate: refuses a worker not certified for the project's template. */
  async assertCertified(actor, project) {
    const templateId = templateOf(project).id;
    const key = `${actor.id}:${templateId}`;
    if (!await this.gate.get(key, () => this.certs.isActive(actor.id, templateId))) {
      throw forbidden(
        "not_certified",
        `Pass the training exam for the ${templateId} template before taking this project's items.`
      );
    }
  }
  /** The organisation's projects, for `certifyFromExam`. */
  orgProjects(orgId) {
    return this.projects.listForOrg(orgId, false);
  }
  /** A worker's own certifications, or (for managers) anyone's in the organisation. */
  async list(actor, query = {}) {
    if (actor.role === "client") throw notFound("certification");
    const manager = actor.role === "admin" || actor.role === "manager";
    if (!manager || query.userId === actor.id) {
      return (await this.certs.ofUser(actor.id)).map((c) => ({
        userId: c.user_id,
        templateId: c.template_id,
        level: c.level,
        status: c.status,
        certifiedAt: new Date(c.certified_at).toISOString(),
        byExam: c.attempt_id !== null
      }));
    }
    const rows4 = await this.certs.ofOrg(actor.org_id, query.templateId);
    return rows4.filter((c) => query.userId === void 0 || c.user_id === query.userId).map((c) => ({
      userId: c.user_id,
      username: c.username,
      name: c.display_name,
      templateId: c.template_id,
      level: c.level,
      status: c.status,
      certifiedAt: new Date(c.certified_at).toISOString(),
      byExam: c.attempt_id !== null
    }));
  }
  /** A manager certifies a worker by hand (an experienced hand, or a custom template without a course). */
  async grant(actor, userId, templateId, level) {
    requireRole(actor, "admin", "manager");
    const worker = await this.workerOf(actor, userId);
    await withTx(
      this.db,
      (trx) => this.certs.upsert(trx, {
        userId: worker.id,
        orgId: worker.org_id,
        templateId,
        level,
        now: this.clock.now(),
        grantedBy: actor.id
      })
    );
    this.gate.delete(`${worker.id}:${templateId}`);
    return { userId: worker.id, templateId, level, status: "active" };
  }
  async revoke(actor, userId, templateId) {
    requireRole(actor, "admin", "manager");
    const worker = await this.workerOf(actor, userId);
    const done = await this.certs.revoke(worker.id, templateId, this.clock.now());
    this.gate.delete(`${worker.id}:${templateId}`);
    if (!done) throw notFound("certification");
    return { userId: worker.id, templateId, status: "revoked" };
  }
  /**
   * A passed exam, inside its transaction: certifies the worker at `level` and lifts
   * her suspensions in the organisation's projects on this template (a fresh run of
   * gold checks decides from here, as after a manager's reinstatement). `projects`
   * are the organisation's projects, read before the transaction. Returns the projects
   * whose suspension was lifted.
   */
  async certifyFromExam(trx, worker, v, projects) {
    const now = this.clock.now();
    await this.certs.upsert(trx, { userId: worker.id, orgId: worker.org_id, now, ...v });
    const lifted = [];
    for (const p of projects) {
      if (templateOf(p).id !== v.templateId) continue;
      const s = await this.quality.standing(p.id, worker.id, trx);
      if (s?.status !== "suspended") continue;
      await this.quality.upsertStanding(trx, {
        project_id: p.id,
        worker_id: worker.id,
        status: "active",
        accuracy: null,
        gold_count: 0,
        reason: "recertified",
        updated_at: now
      });
      lifted.push(p.id);
    }
    return lifted;
  }
  /** Forgets cached answers of the gate for one worker and template (after a commit). */
  forget(userId, templateId) {
    this.gate.delete(`${userId}:${templateId}`);
  }
  async workerOf(actor, userId) {
    const user = await this.users.get(userId);
    if (!user || user.org_id !== actor.org_id) throw notFound("user");
    return user;
  }
};
async function certifyForBuiltins(db, users, now, extraTemplateIds = [], level = 1) {
  const templateIds = [...builtinTemplates.map((t) => t.id), ...extraTemplateIds];
  const rows4 = users.flatMap(
    (u) => templateIds.map((templateId) => ({
      user_id: u.id,
      org_id: u.org_id,
      template_id: templateId,
      level,
      status: "active",
      certified_at: now,
      course_id: null,
      attempt_id: null,
      granted_by: null,
      updated_at: now
    }))
  );
  for (let i = 0; i < rows4.length; i += 3e3) {
    await db.insertInto("certifications").values(rows4.slice(i, i + 3e3)).onConflict((oc) => oc.columns(["user_id", "template_id"]).doNothing()).execute();
  }
}

// src/core/training/point-errors.ts
var round1 = (x) => Math.round(x * 10) / 10;
function pointErrors(answer, reference, template) {
  const { pairs, unmatchedAns, unmatchedRef } = pairInstances(answer.instances, reference.instances, template);
  const errors = [];
  let sum = 0;
  let count = 0;
  for (const pair of pairs) {
    const a = answer.instances[pair.a];
    const r = reference.instances[pair.b];
    template.points.forEach((tp, i) => {
      const ap = a.points[i];
      const rp = r.points[i];
      const aOn = Boolean(ap && ap[2] !== 0);
      const rOn = Boolean(rp && rp[2] !== 0);
      if (!aOn && !rOn) return;
      const base = { instance: pair.b, index: i, id: tp.id, name: tp.name };
      const answerXY = aOn ? [ap[0], ap[1]] : null;
      const referenceXY = rOn ? [rp[0], rp[1]] : null;
      if (aOn && rOn) {
        const px = Math.hypot(ap[0] - rp[0], ap[1] - rp[1]);
        sum += px;
        count++;
        errors.push({ ...base, kind: "offset", px: round1(px), answer: answerXY, reference: referenceXY });
      } else {
        errors.push({ ...base, kind: rOn ? "missed" : "extra", px: null, answer: answerXY, reference: referenceXY });
      }
    });
  }
  const weight = (e) => e.kind === "offset" ? e.px ?? 0 : Infinity;
  errors.sort((x, y) => weight(y) - weight(x) || x.instance - y.instance || x.index - y.index);
  return {
    errors,
    missedInstances: unmatchedRef.size,
    extraInstances: unmatchedAns.size,
    meanPx: count ? round1(sum / count) : null
  };
}
function isComplete(answer, reference, template) {
  if (reference.instances.length === 0) return answer.instances.length === 0;
  const report = pointErrors(answer, reference, template);
  return report.missedInstances === 0 && report.errors.every((e) => e.kind !== "missed");
}

// src/core/training/exam-score.ts
var DEFAULT_MARKS = {
  passAccuracy: 0.75,
  passCompleteness: 0.9,
  level2Accuracy: 0.85,
  level3Accuracy: 0.92
};
function scoreExamItem(answer, reference, template) {
  return { score: scoreGold(answer, reference, template).score, complete: isComplete(answer, reference, template) };
}
function levelFor(accuracy, marks) {
  if (accuracy >= marks.level3Accuracy) return 3;
  if (accuracy >= marks.level2Accuracy) return 2;
  return 1;
}
function scoreExam(items, marks) {
  if (items.length === 0) return { accuracy: 0, completeness: 0, passed: false, level: null };
  let sum = 0;
  let complete = 0;
  for (const it of items) {
    if (!it) continue;
    sum += Math.min(1, Math.max(0, it.score));
    if (it.complete) complete++;
  }
  const accuracy = sum / items.length;
  const completeness = complete / items.length;
  const passed = accuracy >= marks.passAccuracy && completeness >= marks.passCompleteness;
  return { accuracy, completeness, passed, level: passed ? levelFor(accuracy, marks) : null };
}

// src/core/training/cooldown.ts
var EXAM_TIME_LIMIT_MS = 3 * 36e5;
function retryAt(last, cooldownMs) {
  if (!last || last.status !== "failed" || cooldownMs <= 0) return null;
  return last.finishedAt + cooldownMs;
}
function cooldownLeft(last, cooldownMs, now) {
  const at = retryAt(last, cooldownMs);
  return at === null ? 0 : Math.max(0, at - now);
}

// src/core/training/next-step.ts
var PRACTICE_GOOD = 0.85;
function nextPracticeItem(items) {
  const untried = items.find((i) => i.best === null);
  if (untried) return untried.id;
  let worst = null;
  for (const i of items) if (i.best < PRACTICE_GOOD && (!worst || i.best < worst.best)) worst = i;
  return worst ? worst.id : null;
}
function weakestPoints(errors, limit = 5) {
  const sum = /* @__PURE__ */ new Map();
  for (const answer of errors) {
    for (const [index, px] of answer) {
      const e = sum.get(index) ?? { s: 0, n: 0 };
      e.s += px;
      e.n++;
      sum.set(index, e);
    }
  }
  return [...sum.entries()].map(([index, { s, n }]) => ({ index, meanPx: Math.round(s / n * 10) / 10, n })).sort((a, b) => b.meanPx - a.meanPx || a.index - b.index).slice(0, limit);
}

// src/server/services/training-access.ts
var MANAGERS = ["admin", "manager"];
function isTrainingManager(actor) {
  return MANAGERS.includes(actor.role);
}
function assertCanReadCourse(actor, course) {
  if (!course || course.org_id !== actor.org_id || actor.role === "client") throw notFound("course");
  if (!isTrainingManager(actor) && course.status !== "published") throw notFound("course");
}
function assertCanManageCourse(actor, course) {
  if (!course || course.org_id !== actor.org_id || actor.role === "client") throw notFound("course");
  if (!isTrainingManager(actor)) throw forbidden("role_not_allowed", "Only managers change training courses.");
}
function assertCanTrain(actor, course) {
  assertCanReadCourse(actor, course);
  if (actor.role !== "worker" && actor.role !== "reviewer") {
    throw forbidden("role_not_allowed", "Practice and exams are for workers and reviewers.");
  }
}

// src/server/services/training-views.ts
var iso3 = (ms) => ms === null ? null : new Date(ms).toISOString();
var templates = /* @__PURE__ */ new Map();
function courseTemplate(course) {
  let t = templates.get(course.template);
  if (!t) {
    if (templates.size > 100) templates.clear();
    t = JSON.parse(course.template);
    templates.set(course.template, t);
  }
  return t;
}
function courseView(c, counts) {
  const template = courseTemplate(c);
  return {
    id: c.id,
    templateId: c.template_id,
    templateName: template.name,
    title: c.title,
    description: c.description,
    status: c.status,
    exam: {
      passAccuracy: c.pass_accuracy,
      passCompleteness: c.pass_completeness,
      level2Accuracy: c.level2_accuracy,
      level3Accuracy: c.level3_accuracy,
      cooldownMinutes: c.cooldown_minutes
    },
    counts: counts ?? null,
    updatedAt: iso3(c.updated_at)
  };
}
function lessonView(l) {
  return { id: l.id, courseId: l.course_id, position: l.position, title: l.title, body: l.body };
}
function itemView(i) {
  return {
    id: i.id,
    courseId: i.course_id,
    kind: i.kind,
    position: i.position,
    name: i.name,
    width: i.width,
    height: i.height,
    imageUrl: `/api/training/items/${i.id}/image`
  };
}
function managedItemView(i) {
  return {
    ...itemView(i),
    source: i.source,
    reference: i.reference === null ? null : JSON.parse(i.reference)
  };
}
function attemptSummary(a) {
  return {
    id: a.id,
    courseId: a.course_id,
    status: a.status,
    startedAt: iso3(a.started_at),
    finishedAt: iso3(a.finished_at),
    accuracy: a.accuracy,
    completeness: a.completeness,
    level: a.level
  };
}

// src/server/services/exam.service.ts
var ExamService = class {
  constructor(db, training, attempts, certifications, clock) {
    this.db = db;
    this.training = training;
    this.attempts = attempts;
    this.certifications = certifications;
    this.clock = clock;
  }
  db;
  training;
  attempts;
  certifications;
  clock;
  /**
   * Starts the course's exam, or returns the one she has open. Refused during the
   * cool-down after a failure (409 `exam_cooldown`, with `retryAt`).
   */
  async start(actor, courseId) {
    const course = await this.training.course(courseId);
    assertCanTrain(actor, course);
    const now = this.clock.now();
    let open = await this.attempts.openAttempt(actor.id, courseId);
    if (open && open.expires_at <= now) {
      await this.close(actor, course, open);
      open = void 0;
    }
    if (open) return this.view(course, open);
    const last = await this.attempts.lastFinished(actor.id, courseId);
    const until = retryAt(
      last ? { status: last.status, finishedAt: last.finished_at } : null,
      course.cooldown_minutes * 6e4
    );
    if (until !== null && until > now) {
      throw new AppError(409, "exam_cooldown", "The exam can be taken again after the cool-down.", {
        retryAt: iso3(until),
        waitMs: until - now
      });
    }
    const items = await this.training.usableItems(courseId, "exam");
    if (items.length === 0) throw conflict("no_exam_items", "This course has no exam yet.");
    try {
      const attempt = await withTx(
        this.db,
        (trx) => this.attempts.createAttempt(trx, {
          course_id: courseId,
          user_id: actor.id,
          status: "open",
          item_ids: JSON.stringify(items.map((i) => i.id)),
          pass_accuracy: course.pass_accuracy,
          pass_completeness: course.pass_completeness,
          started_at: now,
          expires_at: now + EXAM_TIME_LIMIT_MS
        })
      );
      return this.view(course, attempt);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.attempts.openAttempt(actor.id, courseId);
      if (!winner) throw err;
      return this.view(course, winner);
    }
  }
  /** Her attempt: the items still to answer while open, the result once finished. */
  async get(actor, attemptId) {
    const { course, attempt } = await this.own(actor, attemptId);
    if (attempt.status === "open" && attempt.expires_at <= this.clock.now()) return this.close(actor, course, attempt);
    return attempt.status === "open" ? this.view(course, attempt) : this.result(course, attempt);
  }
  /** Stores her answer to one exam item (replacing an earlier one); nothing about its score comes back. */
  async answer(actor, attemptId, itemId, data) {
    const { course, attempt } = await this.own(actor, attemptId);
    const now = this.clock.now();
    if (attempt.status !== "open") throw conflict("exam_finished", "This exam is already finished.");
    if (attempt.expires_at <= now) {
      await this.close(actor, course, attempt);
      throw conflict("exam_expired", "The time for this exam ran out; it has been scored as it stood.");
    }
    const ids = JSON.parse(attempt.item_ids);
    if (!ids.includes(itemId)) throw notFound("training_item");
    const item = await this.training.item(itemId);
    const template = courseTemplate(course);
    const problems = checkAnnotation(template, item.width, item.height, data);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join("; "), problems);
    const scored = item.reference ? scoreExamItem(data, JSON.parse(item.reference), template) : { score: 0, complete: false };
    await withTx(this.db, async (trx) => {
      const cur = await this.attempts.attempt(attempt.id, trx);
      if (cur?.status !== "open") throw conflict("exam_finished", "This exam is already finished.");
      await this.attempts.upsertExamAnswer(trx, {
        course_id: course.id,
        item_id: item.id,
        user_id: actor.id,
        attempt_id: attempt.id,
        kind: "exam",
        data: JSON.stringify(data),
        score: scored.score,
        complete: scored.complete ? 1 : 0,
        point_px: null,
        created_at: now,
        updated_at: now
      });
    });
    const answered = (await this.attempts.attemptAnswers(attempt.id)).length;
    return { attemptId: attempt.id, itemId, answered, total: ids.length };
  }
  /** Scores the exam. Finishing twice returns the same result. */
  async finish(actor, attemptId) {
    const { course, attempt } = await this.own(actor, attemptId);
    if (attempt.status !== "open") return this.result(course, attempt);
    return this.close(actor, course, attempt);
  }
  // --- helpers --------------------------------------------------------------------
  /** Scores and closes an open attempt; a pass certifies. Returns the result. */
  async close(actor, course, attempt) {
    const projects = await this.certifications.orgProjects(actor.org_id);
    const now = this.clock.now();
    const outcome = await withTx(this.db, async (trx) => {
      const answers = new Map((await this.attempts.attemptAnswers(attempt.id, trx)).map((a) => [a.item_id, a]));
      const ids = JSON.parse(attempt.item_ids);
      const scores = ids.map((id2) => {
        const a = answers.get(id2);
        return a ? { score: a.score, complete: a.complete === 1 } : null;
      });
      const r = scoreExam(scores, {
        passAccuracy: attempt.pass_accuracy,
        passCompleteness: attempt.pass_completeness,
        level2Accuracy: course.level2_accuracy,
        level3Accuracy: course.level3_accuracy
      });
      const status = r.passed ? "passed" : "failed";
      const closed = await this.attempts.finishAttempt(
        trx,
        attempt.id,
        { status, accuracy: r.accuracy, completeness: r.completeness, level: r.level },
        now
      );
      if (!closed) return { lifted: [] };
      if (!r.passed) return { lifted: [] };
      const lifted = await this.certifications.certifyFromExam(
        trx,
        { id: actor.id, org_id: actor.org_id },
        { templateId: course.template_id, level: r.level, courseId: course.id, attemptId: attempt.id },
        projects
      );
      return { lifted };
    });
    this.certifications.forget(actor.id, course.template_id);
    const fresh = await this.attempts.attempt(attempt.id);
    return { ...await this.result(course, fresh), liftedSuspensions: outcome.lifted };
  }
  async own(actor, attemptId) {
    const attempt = await this.attempts.attempt(attemptId);
    if (!attempt || attempt.user_id !== actor.id) throw notFound("attempt");
    const course = await this.training.course(attempt.course_id);
    assertCanTrain(actor, course);
    return { course, attempt };
  }
  /** An open attempt: the items in order, which are answered, and the deadline. Never a reference. */
  async view(course, attempt) {
    const ids = JSON.parse(attempt.item_ids);
    const items = new Map((await this.training.itemsByIds(ids)).map((i) => [i.id, i]));
    const answered = new Set((await this.attempts.attemptAnswers(attempt.id)).map((a) => a.item_id));
    return {
      id: attempt.id,
      courseId: course.id,
      status: attempt.status,
      startedAt: iso3(attempt.started_at),
      expiresAt: iso3(attempt.expires_at),
      template: courseTemplate(course),
      passAccuracy: attempt.pass_accuracy,
      passCompleteness: attempt.pass_completeness,
      items: ids.map((id2, i) => {
        const it = items.get(id2);
        const v = itemView(it);
        return {
          id: v.id,
          position: i + 1,
          width: v.width,
          height: v.height,
          imageUrl: v.imageUrl,
          answered: answered.has(id2)
        };
      })
    };
  }
  /** A finished attempt: per-item scores and the overall result, never a reference or an answer. */
  async result(course, attempt) {
    const ids = JSON.parse(attempt.item_ids);
    const answers = new Map((await this.attempts.attemptAnswers(attempt.id)).map((a) => [a.item_id, a]));
    const until = retryAt(
      attempt.status === "failed" ? { status: "failed", finishedAt: attempt.finished_at } : null,
      course.cooldown_minutes * 6e4
    );
    const now = this.clock.now();
    return {
      id: attempt.id,
      courseId: course.id,
      status: attempt.status,
      passed: attempt.status === "passed",
      accuracy: attempt.accuracy,
      completeness: attempt.completeness,
      passAccuracy: attempt.pass_accuracy,
      passCompleteness: attempt.pass_completeness,
      level: attempt.level,
      templateId: course.template_id,
      finishedAt: iso3(attempt.finished_at),
      retryAt: until !== null && until > now ? iso3(until) : null,
      cooldownLeftMs: until !== null ? Math.max(0, until - now) : 0,
      items: ids.map((id2, i) => {
        const a = answers.get(id2);
        return {
          position: i + 1,
          answered: Boolean(a),
          score: a ? Math.round(a.score * 1e3) / 1e3 : 0,
          complete: a ? a.complete === 1 : false
        };
      })
    };
  }
};

// src/server/services/learner.service.ts
var LearnerService = class {
  constructor(training, attempts, certs, projects, quality, clock) {
    this.training = training;
    this.attempts = attempts;
    this.certs = certs;
    this.projects = projects;
    this.quality = quality;
    this.clock = clock;
  }
  training;
  attempts;
  certs;
  projects;
  quality;
  clock;
  /**
   * "My training": every published course of her organisation with her certification,
   * exam state and next step, and the live projects with whether she may work on them.
   */
  async myTraining(actor) {
    requireRole(actor, "worker", "reviewer");
    const [courses, certs, allProjects] = await Promise.all([
      this.training.courses(actor.org_id, true),
      this.certs.ofUser(actor.id),
      this.projects.listForOrg(actor.org_id, false)
    ]);
    const certByTemplate = new Map(certs.map((c) => [c.template_id, c]));
    const live = allProjects.filter((p) => p.status === "active");
    const projects = [];
    for (const p of live) {
      const templateId = templateOf(p).id;
      const standing = await this.quality.standing(p.id, actor.id);
      projects.push({
        id: p.id,
        name: p.name,
        templateId,
        certified: certByTemplate.get(templateId)?.status === "active",
        suspended: standing?.status === "suspended"
      });
    }
    const out = [];
    for (const c of courses) {
      const state = await this.state(actor, c);
      const cert = certByTemplate.get(c.template_id);
      const onTemplate = projects.filter((p) => p.templateId === c.template_id);
      out.push({
        ...courseView(c),
        certification: cert ? certView(cert) : null,
        exam: state.exam,
        practice: { total: state.practice.length, done: state.practice.filter((p) => p.best !== null).length },
        lessons: state.lessons.length,
        needed: onTemplate.length > 0,
        suspendedProjects: state.suspended,
        next: state.next
      });
    }
    return { courses: out, projects, certifications: certs.map(certView) };
  }
  /** One course for a learner: lessons, practice items with her best scores, the exam and her weak points. */
  async course(actor, courseId) {
    const course = await this.training.course(courseId);
    assertCanReadCourse(actor, course);
    const template = courseTemplate(course);
    const state = await this.state(actor, course);
    const cert = await this.certs.get(actor.id, course.template_id);
    return {
      course: courseView(course),
      template,
      lessons: state.lessons.map((l) => ({ id: l.id, position: l.position, title: l.title })),
      practice: state.practice,
      exam: state.exam,
      certification: cert ? certView(cert) : null,
      suspendedProjects: state.suspended,
      weakPoints: state.weakPoints.map((w) => ({
        ...w,
        id: template.points[w.index]?.id,
        name: template.points[w.index]?.name
      })),
      next: state.next
    };
  }
  async lesson(actor, lessonId) {
    const lesson = await this.training.lesson(lessonId);
    if (!lesson) throw notFound("lesson");
    const course = await this.training.course(lesson.course_id);
    assertCanReadCourse(actor, course);
    const all = await this.training.lessons(course.id);
    const i = all.findIndex((l) => l.id === lesson.id);
    return {
      ...lessonView(lesson),
      courseTitle: course.title,
      index: i + 1,
      total: all.length,
      previousId: all[i - 1]?.id ?? null,
      nextId: all[i + 1]?.id ?? null
    };
  }
  /** A practice item's image size and its neighbours; never its reference before an answer. */
  async practiceItem(actor, itemId) {
    const { item, course } = await this.practiceItemOf(actor, itemId);
    const all = await this.training.usableItems(course.id, "practice");
    const i = all.findIndex((x) => x.id === item.id);
    return {
      ...itemView(item),
      index: i + 1,
      total: all.length,
      nextId: all[i + 1]?.id ?? null,
      template: courseTemplate(course),
      courseTitle: course.title,
      /** The reference was made by a model (the demo's): the page says so. */
      modelMade: item.source === "model"
    };
  }
  /**
   * Scores a practice answer and returns the reference with every point's error in
   * pixels, named, so the page can draw and list them.
   */
  async answerPractice(actor, itemId, data) {
    const { item, course } = await this.practiceItemOf(actor, itemId);
    const template = courseTemplate(course);
    const problems = checkAnnotation(template, item.width, item.height, data);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join("; "), problems);
    const reference = JSON.parse(item.reference);
    const gold = scoreGold(data, reference, template);
    const report = pointErrors(data, reference, template);
    const complete = isComplete(data, reference, template);
    const now = this.clock.now();
    await this.attempts.insertPractice({
      course_id: course.id,
      item_id: item.id,
      user_id: actor.id,
      attempt_id: null,
      kind: "practice",
      data: JSON.stringify(data),
      score: gold.score,
      complete: complete ? 1 : 0,
      point_px: JSON.stringify(report.errors.filter((e) => e.kind === "offset").map((e) => [e.index, e.px])),
      created_at: now,
      updated_at: now
    });
    return {
      itemId: item.id,
      score: Math.round(gold.score * 1e3) / 1e3,
      complete,
      feedback: gold.feedback,
      reference,
      errors: report.errors,
      meanPx: report.meanPx,
      missedInstances: report.missedInstances,
      extraInstances: report.extraInstances
    };
  }
  // --- helpers --------------------------------------------------------------------
  async practiceItemOf(actor, itemId) {
    const item = await this.training.item(itemId);
    if (!item || item.kind !== "practice" || !item.active || item.reference === null) throw notFound("training_item");
    const course = await this.training.course(item.course_id);
    assertCanTrain(actor, course);
    return { item, course };
  }
  /** Her lessons, practice scores, exam state, weak points and next step in one course. */
  async state(actor, course) {
    const now = this.clock.now();
    const [lessons, items, answers, last, open, examItems, cert] = await Promise.all([
      this.training.lessons(course.id),
      this.training.usableItems(course.id, "practice"),
      this.attempts.practiceAnswers(actor.id, course.id),
      this.attempts.lastFinished(actor.id, course.id),
      this.attempts.openAttempt(actor.id, course.id),
      this.training.usableItems(course.id, "exam"),
      this.certs.get(actor.id, course.template_id)
    ]);
    const best = /* @__PURE__ */ new Map();
    const tries = /* @__PURE__ */ new Map();
    for (const a of answers) {
      best.set(a.item_id, Math.max(best.get(a.item_id) ?? 0, a.score));
      tries.set(a.item_id, (tries.get(a.item_id) ?? 0) + 1);
    }
    const practice = items.map((i) => ({
      ...itemView(i),
      best: best.has(i.id) ? Math.round(best.get(i.id) * 1e3) / 1e3 : null,
      tries: tries.get(i.id) ?? 0
    }));
    const cooldownMs = course.cooldown_minutes * 6e4;
    const finished2 = last ? { status: last.status, finishedAt: last.finished_at } : null;
    const until = retryAt(finished2, cooldownMs);
    const exam = {
      items: examItems.length,
      passAccuracy: course.pass_accuracy,
      passCompleteness: course.pass_completeness,
      cooldownMinutes: course.cooldown_minutes,
      openAttemptId: open && open.expires_at > now ? open.id : null,
      last: last ? attemptSummary(last) : null,
      retryAt: until !== null && until > now ? iso3(until) : null,
      cooldownLeftMs: cooldownLeft(finished2, cooldownMs, now)
    };
    const weakPoints = weakestPoints(
      answers.slice(0, 50).map((a) => a.point_px ? JSON.parse(a.point_px) : []),
      5
    );
    const practiceNext = nextPracticeItem(practice);
    const suspended = await this.suspendedOn(actor, course.template_id);
    const certified = cert?.status === "active" && suspended.length === 0;
    let next;
    if (answers.length === 0 && lessons.length > 0 && !certified) next = { kind: "lesson", lessonId: lessons[0].id };
    else if (practiceNext !== null && !certified) next = { kind: "practice", itemId: practiceNext };
    else if (!certified && examItems.length > 0) next = { kind: "exam" };
    else if (practiceNext !== null) next = { kind: "practice", itemId: practiceNext };
    else next = { kind: "done" };
    return { lessons, practice, exam, weakPoints, next, suspended };
  }
  /** Her organisation's projects on this template where she is suspended. */
  async suspendedOn(actor, templateId) {
    const out = [];
    for (const p of await this.projects.listForOrg(actor.org_id, false)) {
      if (templateOf(p).id !== templateId) continue;
      if ((await this.quality.standing(p.id, actor.id))?.status === "suspended") out.push({ id: p.id, name: p.name });
    }
    return out;
  }
};
function certView(c) {
  return {
    templateId: c.template_id,
    level: c.level,
    status: c.status,
    certifiedAt: iso3(c.certified_at),
    byExam: c.attempt_id !== null
  };
}

// src/server/services/training-media.ts
import fsp4 from "node:fs/promises";
async function storeImage(store, config, file, name) {
  const preview = `${file}.preview.jpg`;
  const probed = await probeImage(file, name, config.maxImagePixels, preview);
  const sha2563 = await sha256File(file);
  const created = await store.adopt(file, sha2563);
  if (created) await store.adoptPreview(preview, sha2563);
  else await fsp4.rm(preview, { force: true });
  return {
    sha256: sha2563,
    width: probed.width,
    height: probed.height,
    mime: probed.mime,
    orientation: probed.orientation,
    created
  };
}
async function recordImage(trx, blobs, store, image, orgId, now) {
  await blobs.upsert(
    {
      sha256: image.sha256,
      size: (await fsp4.stat(store.pathOf(image.sha256))).size,
      mime: image.mime,
      width: image.width,
      height: image.height,
      orientation: image.orientation,
      has_preview: 1,
      created_at: now
    },
    trx
  );
  await blobs.grant(trx, [orgId], [image.sha256]);
}

// src/server/services/training.service.ts
var DEFAULT_COOLDOWN_MINUTES = 24 * 60;
var TrainingService = class {
  constructor(db, training, attempts, certs, blobs, store, config, clock) {
    this.db = db;
    this.training = training;
    this.attempts = attempts;
    this.certs = certs;
    this.blobs = blobs;
    this.store = store;
    this.config = config;
    this.clock = clock;
  }
  db;
  training;
  attempts;
  certs;
  blobs;
  store;
  config;
  clock;
  // --- courses --------------------------------------------------------------------
  async createCourse(actor, body) {
    requireRole(actor, "admin", "manager");
    const template = body.templateId ? getBuiltinTemplate(body.templateId) : body.template;
    if (!template) throw badRequest("unknown_template", `There is no built-in template ${body.templateId}.`);
    const now = this.clock.now();
    try {
      const row = await this.training.createCourse({
        org_id: actor.org_id,
        template_id: template.id,
        template: JSON.stringify(template),
        title: body.title,
        description: body.description,
        status: body.status,
        pass_accuracy: body.passAccuracy ?? DEFAULT_MARKS.passAccuracy,
        pass_completeness: body.passCompleteness ?? DEFAULT_MARKS.passCompleteness,
        level2_accuracy: body.level2Accuracy ?? DEFAULT_MARKS.level2Accuracy,
        level3_accuracy: body.level3Accuracy ?? DEFAULT_MARKS.level3Accuracy,
        cooldown_minutes: body.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
        created_by: actor.id,
        created_at: now,
        updated_at: now
      });
      return courseView(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict("course_exists", `This organisation already has a course for the ${template.id} template.`);
      }
      throw err;
    }
  }
  async updateCourse(actor, courseId, patch) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const row = await this.training.updateCourse(courseId, {
      title: patch.title,
      description: patch.description,
      status: patch.status,
      pass_accuracy: patch.passAccuracy,
      pass_completeness: patch.passCompleteness,
      level2_accuracy: patch.level2Accuracy,
      level3_accuracy: patch.level3Accuracy,
      cooldown_minutes: patch.cooldownMinutes,
      updated_at: this.clock.now()
    });
    return courseView(row);
  }
  /** The organisation's courses: all of them for managers, the published ones for everyone else. */
  async listCourses(actor) {
    if (actor.role === "client") return [];
    const rows4 = await this.training.courses(actor.org_id, !isTrainingManager(actor));
    const counts = await this.training.itemCounts(rows4.map((r) => r.id));
    return rows4.map((r) => courseView(r, counts.get(r.id)));
  }
  /** Everything a manager edits on one page: settings, lessons, images, items with references. */
  async manageView(actor, courseId) {
    const course = await this.training.course(courseId);
    assertCanManageCourse(actor, course);
    const [lessons, items, assets] = await Promise.all([
      this.training.lessonsWithBody(courseId),
      this.training.items(courseId),
      this.training.assets(courseId)
    ]);
    return {
      course: courseView(course),
      template: courseTemplate(course),
      lessons: lessons.map(lessonView),
      items: items.map(managedItemView),
      assets: assets.map((a) => ({ sha256: a.blob_sha256, name: a.name, url: assetUrl(courseId, a.blob_sha256) }))
    };
  }
  // --- lessons --------------------------------------------------------------------
  async addLesson(actor, courseId, body) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const now = this.clock.now();
    const row = await this.training.addLesson({
      course_id: courseId,
      title: body.title,
      body: body.body,
      created_at: now,
      updated_at: now
    });
    return lessonView(row);
  }
  async updateLesson(actor, lessonId, patch) {
    const lesson = await this.training.lesson(lessonId);
    if (!lesson) throw notFound("lesson");
    assertCanManageCourse(actor, await this.training.course(lesson.course_id));
    const row = await this.training.updateLesson(lessonId, {
      title: patch.title,
      body: patch.body,
      position: patch.position,
      updated_at: this.clock.now()
    });
    return lessonView(row);
  }
  async deleteLesson(actor, lessonId) {
    const lesson = await this.training.lesson(lessonId);
    if (!lesson) throw notFound("lesson");
    assertCanManageCourse(actor, await this.training.course(lesson.course_id));
    await this.training.deleteLesson(lessonId);
    return { id: lessonId, deleted: true };
  }
  // --- images and items -----------------------------------------------------------
  /** Lesson images: stored as blobs, linked to the course; returns the URLs to put in markdown. */
  async addAssets(actor, courseId, staged) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const stored = await this.storeAll(staged);
    const now = this.clock.now();
    await this.commitImages(stored, actor.org_id, async (trx) => {
      for (const [i, s] of stored.entries()) {
        await this.training.addAsset(
          { course_id: courseId, blob_sha256: s.sha256, name: staged[i].name, created_at: now },
          trx
        );
      }
    });
    return {
      assets: stored.map((s, i) => ({ sha256: s.sha256, name: staged[i].name, url: assetUrl(courseId, s.sha256) }))
    };
  }
  /** Practice or exam photos; each becomes an item without a reference until a manager draws one. */
  async addItems(actor, courseId, kind, staged) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const stored = await this.storeAll(staged);
    const now = this.clock.now();
    const rows4 = await this.commitImages(stored, actor.org_id, async (trx) => {
      const out = [];
      for (const [i, s] of stored.entries()) {
        out.push(
          await this.training.addItem(
            {
              course_id: courseId,
              kind,
              blob_sha256: s.sha256,
              name: staged[i].name,
              width: s.width,
              height: s.height,
              reference: null,
              source: "editor",
              active: 1,
              created_by: actor.id,
              created_at: now,
              updated_at: now
            },
            trx
          )
        );
      }
      return out;
    });
    return { items: rows4.map(managedItemView) };
  }
  /** One item with its reference, for the course's managers. */
  async getItem(actor, itemId) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound("training_item");
    const course = await this.training.course(item.course_id);
    assertCanManageCourse(actor, course);
    return { ...managedItemView(item), template: courseTemplate(course) };
  }
  /** Saves a reference drawn in the gold editor: it must fit the image and leave no point undecided. */
  async setReference(actor, itemId, body) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound("training_item");
    const course = await this.training.course(item.course_id);
    assertCanManageCourse(actor, course);
    const template = courseTemplate(course);
    const problems = checkAnnotation(template, item.width, item.height, body.data);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join("; "), problems);
    const incomplete = goldReferenceProblem(template, body.data, body.notInImage);
    if (incomplete) throw badRequest("reference_incomplete", incomplete.message, incomplete.missing);
    const row = await this.training.updateItem(itemId, {
      reference: JSON.stringify(body.data),
      source: "editor",
      updated_at: this.clock.now()
    });
    return managedItemView(row);
  }
  /** Takes an item out of practice and future exams; past attempts keep their scores. */
  async retireItem(actor, itemId) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound("training_item");
    assertCanManageCourse(actor, await this.training.course(item.course_id));
    await this.training.updateItem(itemId, { active: 0, updated_at: this.clock.now() });
    return { id: itemId, active: false };
  }
  /**
   * The blob behind a training image, if the actor may see it: any reader of the course
   * for practice, the course's managers always, and for an exam item only the worker
   * whose open attempt shows it.
   */
  async itemImage(actor, itemId) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound("training_item");
    const course = await this.training.course(item.course_id);
    assertCanReadCourse(actor, course);
    if (isTrainingManager(actor) || item.kind === "practice") return item.blob_sha256;
    const open = await this.attempts.openAttempt(actor.id, course.id);
    if (!open || !JSON.parse(open.item_ids).includes(item.id)) throw notFound("training_item");
    return item.blob_sha256;
  }
  /** A lesson image, for anyone who may read the course. */
  async assetImage(actor, courseId, sha2563) {
    assertCanReadCourse(actor, await this.training.course(courseId));
    if (!await this.training.asset(courseId, sha2563)) throw notFound("image");
    return sha2563;
  }
  // --- results --------------------------------------------------------------------
  /** Per worker: exam attempts, the latest result, practice done, and the certification. */
  async results(actor, courseId) {
    const course = await this.training.course(courseId);
    assertCanManageCourse(actor, course);
    const [attempts, practice, certs] = await Promise.all([
      this.attempts.courseAttempts(courseId),
      this.attempts.practiceSummary(courseId),
      this.certs.ofOrg(actor.org_id, course.template_id)
    ]);
    const byWorker = /* @__PURE__ */ new Map();
    const summary = (a) => ({
      id: a.id,
      status: a.status,
      accuracy: a.accuracy,
      completeness: a.completeness,
      level: a.level,
      startedAt: iso3(a.started_at),
      finishedAt: iso3(a.finished_at)
    });
    for (const a of attempts) {
      let w = byWorker.get(a.user_id);
      if (!w)
        byWorker.set(a.user_id, w = { userId: a.user_id, username: a.username, name: a.display_name, attempts: [] });
      w.attempts.push(summary(a));
    }
    const certByUser = new Map(certs.map((c) => [c.user_id, c]));
    for (const c of certs) {
      if (!byWorker.has(c.user_id))
        byWorker.set(c.user_id, { userId: c.user_id, username: c.username, name: c.display_name, attempts: [] });
    }
    return {
      course: courseView(course),
      workers: [...byWorker.values()].map((w) => {
        const c = certByUser.get(w.userId);
        const p = practice.get(w.userId);
        return {
          ...w,
          practice: { answers: p?.n ?? 0, meanScore: p ? p.mean : null },
          certification: c ? { level: c.level, status: c.status, certifiedAt: iso3(c.certified_at), byExam: c.attempt_id !== null } : null
        };
      })
    };
  }
  /** One attempt in full for the course's managers: per item, the score and the answer. */
  async attemptDetail(actor, attemptId) {
    const attempt = await this.attempts.attempt(attemptId);
    if (!attempt) throw notFound("attempt");
    assertCanManageCourse(actor, await this.training.course(attempt.course_id));
    const answers = new Map((await this.attempts.attemptAnswers(attemptId)).map((a) => [a.item_id, a]));
    const ids = JSON.parse(attempt.item_ids);
    return {
      attempt: attemptSummary(attempt),
      items: ids.map((id2, i) => {
        const a = answers.get(id2);
        return {
          position: i + 1,
          itemId: id2,
          answered: Boolean(a),
          score: a ? a.score : null,
          complete: a ? a.complete === 1 : false,
          data: a ? JSON.parse(a.data) : null
        };
      })
    };
  }
  // --- helpers --------------------------------------------------------------------
  async storeAll(staged) {
    if (staged.length === 0) throw badRequest("no_files", "The upload held no files.");
    const stored = [];
    try {
      for (const f of staged) stored.push(await storeImage(this.store, this.config, f.file, f.name));
    } catch (err) {
      await this.undo(stored);
      throw err;
    }
    return stored;
  }
  /** Records the stored images and whatever `fn` writes in one transaction; undoes the files if it fails. */
  async commitImages(stored, orgId, fn) {
    const now = this.clock.now();
    try {
      return await withTx(this.db, async (trx) => {
        for (const s of stored) await recordImage(trx, this.blobs, this.store, s, orgId, now);
        return fn(trx);
      });
    } catch (err) {
      await this.undo(stored);
      throw err;
    }
  }
  async undo(stored) {
    for (const s of stored) if (s.created) await this.store.remove(s.sha256);
  }
};
function assetUrl(courseId, sha2563) {
  return `/api/training/courses/${courseId}/assets/${sha2563}`;
}

// src/server/repositories/payroll.repository.ts
import { sql as sql16 } from "kysely";
function cappedActiveMs(eb) {
  return sql16`case when ${eb.ref("a.active_ms")} > ${eb.ref("p.lease_seconds")} * 1000
    then ${eb.ref("p.lease_seconds")} * 1000 else ${eb.ref("a.active_ms")} end`;
}
var sumIf = (kind) => sql16`sum(case when kind = ${kind} then amount_fen else 0 end)`;
var PayrollRepository = class {
  constructor(db) {
    this.db = db;
  }
  db;
  /** The organisation's local minimum hourly wage in fen. */
  async minWage(orgId) {
    const row = await this.db.selectFrom("orgs").select("min_hourly_wage_fen").where("id", "=", orgId).executeTakeFirstOrThrow();
    return Number(row.min_hourly_wage_fen);
  }
  setMinWage(orgId, fen) {
    return this.db.updateTable("orgs").set({ min_hourly_wage_fen: fen }).where("id", "=", orgId).execute();
  }
  /** An organisation's workers, and anyone else who has ledger entries there. */
  people(orgId) {
    return this.db.selectFrom("users").select(["id", "username", "display_name", "role", "disabled"]).where("org_id", "=", orgId).where(
      (eb) => eb.or([
        eb("role", "=", "worker"),
        eb.exists(eb.selectFrom("ledger_entries").select("id").whereRef("ledger_entries.worker_id", "=", "users.id"))
      ])
    ).orderBy("id").execute();
  }
  /** Per worker: the period's entries summed by kind. */
  async periodSums(orgId, period2) {
    const rows4 = await this.db.selectFrom("ledger_entries").select([
      "worker_id",
      // Items accepted net of acceptances withdrawn (only earnings are ever reversed).
      sql16`sum(case when kind = 'earning' then 1 when kind = 'reversal' then -1 else 0 end)`.as("items"),
      sumIf("earning").as("gross"),
      sumIf("bonus").as("bonus"),
      sumIf("floor_topup").as("floor"),
      sumIf("reversal").as("reversals"),
      sumIf("adjustment").as("adjustments"),
      sumIf("payout").as("payouts")
    ]).where("org_id", "=", orgId).where("period", "=", period2).groupBy("worker_id").execute();
    return new Map(
      rows4.map((r) => [
        r.worker_id,
        {
          items: Number(r.items),
          gross: Number(r.gross),
          bonus: Number(r.bonus),
          floor: Number(r.floor),
          reversals: Number(r.reversals),
          adjustments: Number(r.adjustments),
          payouts: Number(r.payouts)
        }
      ])
    );
  }
  /** Per worker: the sum of every entry up to and including a period. */
  async balancesThrough(orgId, period2) {
    const rows4 = await this.db.selectFrom("ledger_entries").select((eb) => ["worker_id", eb.fn.sum("amount_fen").as("s")]).where("org_id", "=", orgId).where("period", "<=", period2).groupBy("worker_id").execute();
    return new Map(rows4.map((r) => [r.worker_id, Number(r.s)]));
  }
  /** Per worker: active time on every answer submitted in [from, to) to the organisation's projects. */
  async activeMs(orgId, from, to) {
    const rows4 = await this.db.selectFrom("annotations as a").innerJoin("projects as p", "p.id", "a.project_id").select((eb) => ["a.worker_id", eb.fn.sum(cappedActiveMs(eb)).as("ms")]).where("p.org_id", "=", orgId).where("a.created_at", ">=", from).where("a.created_at", "<", to).groupBy("a.worker_id").execute();
    return new Map(rows4.map((r) => [r.worker_id, Number(r.ms ?? 0)]));
  }
  /**
   * What closing a period settles, per worker and project: net piece pay booked in
   * the period, active time on the answers that pay is for (earnings not reversed),
   * and mean gold accuracy in the period's dates. Read inside the closing transaction.
   */
  async settlementBasis(trx, orgId, period2, from, to) {
    const piece = await trx.selectFrom("ledger_entries").select((eb) => ["worker_id", "project_id", eb.fn.sum("amount_fen").as("fen")]).where("org_id", "=", orgId).where("period", "=", period2).where("kind", "in", ["earning", "reversal"]).where("project_id", "is not", null).groupBy(["worker_id", "project_id"]).execute();
    const time = await trx.selectFrom("ledger_entries as e").innerJoin("annotations as a", "a.id", "e.annotation_id").innerJoin("projects as p", "p.id", "e.project_id").select((eb) => ["e.worker_id", "e.project_id", eb.fn.sum(cappedActiveMs(eb)).as("ms")]).where("e.org_id", "=", orgId).where("e.period", "=", period2).where("e.kind", "=", "earning").where(
      (eb) => eb.not(eb.exists(eb.selectFrom("ledger_entries as r").select("r.id").whereRef("r.reverses_id", "=", "e.id")))
    ).groupBy(["e.worker_id", "e.project_id"]).execute();
    const accuracy = await trx.selectFrom("gold_scores as g").innerJoin("projects as p", "p.id", "g.project_id").select((eb) => ["g.worker_id", "g.project_id", eb.fn.avg("g.score").as("acc")]).where("p.org_id", "=", orgId).where("g.created_at", ">=", from).where("g.created_at", "<", to).groupBy(["g.worker_id", "g.project_id"]).execute();
    const key = (w, p) => `${w}:${p}`;
    const ms = new Map(time.map((r) => [key(r.worker_id, r.project_id), Number(r.ms ?? 0)]));
    const acc = new Map(accuracy.map((r) => [key(r.worker_id, r.project_id), Number(r.acc)]));
    return piece.map((r) => ({
      workerId: r.worker_id,
      projectId: r.project_id,
      pieceFen: Number(r.fen),
      activeMs: ms.get(key(r.worker_id, r.project_id)) ?? 0,
      accuracy: acc.get(key(r.worker_id, r.project_id)) ?? null
    }));
  }
  /** Pay settings of projects, read in the caller's transaction. */
  payProjects(trx, projectIds) {
    if (projectIds.length === 0) return Promise.resolve([]);
    return trx.selectFrom("projects").select(["id", "bonus_tiers", "hourly_floor_fen"]).where("id", "in", projectIds).execute();
  }
  /** A worker's latest answers with what the ledger holds for each and why any was turned down. */
  history(workerId, limit) {
    return this.db.selectFrom("annotations as a").innerJoin("projects as p", "p.id", "a.project_id").select((eb) => [
      "a.id",
      "a.project_id",
      "p.name as project_name",
      "p.accept_oks",
      "a.created_at",
      "a.status",
      "a.accepted_at",
      "a.accuracy",
      eb.selectFrom("ledger_entries as l").select((e) => e.fn.coalesce(e.fn.sum("l.amount_fen"), sql16.lit(0)).as("s")).whereRef("l.annotation_id", "=", "a.id").as("amount_fen"),
      eb.selectFrom("reviews as r").select("r.reason_code").whereRef("r.annotation_id", "=", "a.id").where("r.verdict", "=", "reject").orderBy("r.id", "desc").limit(1).as("reject_reason")
    ]).where("a.worker_id", "=", workerId).orderBy("a.id", "desc").limit(limit).execute();
  }
  /** A worker's latest per-point gold errors with each project's template, for "what to practise". */
  recentPointErrors(workerId, limit = 40) {
    return this.db.selectFrom("gold_scores as g").innerJoin("projects as p", "p.id", "g.project_id").select(["g.project_id", "p.template", "g.per_point", "g.feedback"]).where("g.worker_id", "=", workerId).orderBy("g.id", "desc").limit(limit).execute();
  }
  /**
   * The worker's active certifications, when the training tables exist (they belong to
   * the training migration); an empty list otherwise.
   */
  async certifications(userId) {
    try {
      const { rows: rows4 } = await sql16`
        select template_id, level, certified_at from certifications
        where user_id = ${userId} and status = 'active' order by certified_at desc`.execute(this.db);
      return rows4.map((r) => ({
        templateId: r.template_id,
        level: Number(r.level),
        certifiedAt: Number(r.certified_at)
      }));
    } catch (err) {
      if (/no such table|does not exist/.test(err.message)) return null;
      throw err;
    }
  }
};

// src/server/services/earnings.service.ts
var HISTORY = 200;
var PRACTISE_POINTS = 3;
function payStatusOf(r) {
  if (r.accepted_at !== null) return { status: "accepted", reason: null };
  if (r.status === "rejected") return { status: "rejected", reason: r.reject_reason ?? "worker_suspended" };
  if (r.accuracy !== null && r.accuracy < r.accept_oks) return { status: "rejected", reason: "low_accuracy" };
  return { status: "pending", reason: null };
}
var EarningsService = class {
  constructor(ledger, payroll, clock) {
    this.ledger = ledger;
    this.payroll = payroll;
    this.clock = clock;
  }
  ledger;
  payroll;
  clock;
  async mine(actor) {
    requireRole(actor, "worker");
    const now = this.clock.now();
    const end = now + 1;
    const [today, week, month2, balance, history, certifications, practise] = await Promise.all([
      this.ledger.earnedBetween(actor.id, utcDayStart(now), end),
      this.ledger.earnedBetween(actor.id, utcWeekStart(now), end),
      this.ledger.earnedBetween(actor.id, periodRange(periodOf(now)).start, end),
      this.ledger.balance(actor.id),
      this.payroll.history(actor.id, HISTORY),
      this.payroll.certifications(actor.id),
      this.practise(actor.id)
    ]);
    return {
      todayFen: today,
      weekFen: week,
      monthFen: month2,
      balanceFen: balance,
      history: history.map((r) => ({
        annotationId: r.id,
        project: { id: r.project_id, name: r.project_name },
        submittedAt: new Date(Number(r.created_at)).toISOString(),
        ...payStatusOf({ ...r, accepted_at: r.accepted_at === null ? null : Number(r.accepted_at) }),
        accuracy: r.accuracy === null ? null : Math.round(r.accuracy * 100) / 100,
        amountFen: Number(r.amount_fen ?? 0)
      })),
      /** Null until the training tables exist. */
      certifications: certifications?.map((c) => ({ ...c, certifiedAt: new Date(c.certifiedAt).toISOString() })) ?? null,
      practise
    };
  }
  /**
   * What to practise next, from her latest gold checks in her latest project: the
   * landmarks with the largest mean error, and the mistakes named most often.
   */
  async practise(workerId) {
    const rows4 = await this.payroll.recentPointErrors(workerId);
    if (rows4.length === 0) return null;
    const projectId = rows4[0].project_id;
    const mine = rows4.filter((r) => r.project_id === projectId);
    const template = templateOf(mine[0]);
    const sums = new Float64Array(template.points.length);
    const counts = new Uint32Array(template.points.length);
    const problems = /* @__PURE__ */ new Map();
    for (const r of mine) {
      JSON.parse(r.per_point ?? "[]").forEach((e, i) => {
        if (e !== null && i < sums.length) {
          sums[i] += e;
          counts[i]++;
        }
      });
      for (const f of JSON.parse(r.feedback)) problems.set(f.code, (problems.get(f.code) ?? 0) + 1);
    }
    const points = template.points.map((p, i) => ({ index: i, name: p.name, error: counts[i] ? sums[i] / counts[i] : null })).filter((p) => p.error !== null).sort((a, b) => b.error - a.error).slice(0, PRACTISE_POINTS).map((p) => ({ ...p, error: Math.round(p.error * 1e3) / 1e3 }));
    return {
      templateId: template.id,
      templateName: template.name,
      points,
      problems: [...problems.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code)
    };
  }
};

// src/core/pay/rules.ts
var MS_PER_HOUR = 36e5;
function divRound(numerator, denominator) {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}
function bonusPctFor(accuracy, tiers) {
  if (accuracy === null || !Number.isFinite(accuracy)) return 0;
  let pct = 0;
  for (const t of tiers) if (accuracy >= t.minAccuracy && t.bonusPct > pct) pct = t.bonusPct;
  return pct;
}
function bonusFen(pieceFen, accuracy, tiers) {
  if (pieceFen <= 0) return 0;
  return divRound(pieceFen * bonusPctFor(accuracy, tiers), 100);
}
function floorTopUpFen(earnedFen, activeMs, floorFenPerHour) {
  if (floorFenPerHour <= 0 || activeMs <= 0) return 0;
  const owed = divRound(floorFenPerHour * activeMs, MS_PER_HOUR);
  return Math.max(0, owed - earnedFen);
}
function settle(input) {
  const bonus = bonusFen(input.pieceFen, input.accuracy, input.tiers);
  return {
    bonusFen: bonus,
    floorTopUpFen: floorTopUpFen(input.pieceFen + bonus, input.activeMs, input.floorFenPerHour)
  };
}
function effectiveHourlyFen(earnedFen, activeMs) {
  if (activeMs <= 0) return null;
  const sign = earnedFen < 0 ? -1 : 1;
  return sign * divRound(Math.abs(earnedFen) * MS_PER_HOUR, activeMs);
}
function isBelowMinimum(effectiveFen, minHourlyFen) {
  return effectiveFen !== null && effectiveFen < minHourlyFen;
}
function hoursOf(activeMs) {
  return Math.round(activeMs / 36e3) / 100;
}

// src/core/api/pay.schema.ts
import { z as z6 } from "zod";
var period = z6.string().refine(isPeriod, { message: "must be a pay period 'YYYY-MM'" });
var periodParam = z6.object({ period });
var periodQuery = z6.object({ period: period.optional() });
var workerLedgerParams = z6.object({ workerId: idString });
var payoutBody = z6.object({
  workerId: id,
  /** Fen paid out, at most ¥100,000: more than any month's pay, so a slip of digits is caught. */
  amountFen: z6.number().int().min(1).max(1e7),
  /** The open period to book it in; none means the current one. */
  period: period.optional(),
  note: text(200).optional(),
  /** Chosen by the client per payout: a retried request records it once. */
  key: rawText(100, 8).optional()
});
var bonusTier = z6.object({
  /** Gold accuracy (mean OKS, 0–1) from which the tier applies. */
  minAccuracy: z6.number().min(0).max(1),
  /** Whole percent of the period's piece pay; over 100 % is a different pay scheme. */
  bonusPct: z6.number().int().min(0).max(100)
});
var projectPayBody = z6.object({
  /** Pay per accepted item in fen; at most 1,000 yuan (as project settings). */
  pieceRateFen: z6.number().int().min(0).max(1e5),
  /** Ten tiers are more than any base uses; each accuracy at most once. */
  bonusTiers: z6.array(bonusTier).max(10).refine((t) => new Set(t.map((x) => x.minAccuracy)).size === t.length, {
    message: "each minAccuracy at most once"
  }),
  /** Hourly floor over active time in fen; ¥1,000/h is far past any real floor. */
  hourlyFloorFen: z6.number().int().min(0).max(1e5),
  /** OKS (0–1) against the final consensus, or gold score, from which an answer is accepted. */
  acceptOks: z6.number().min(0).max(1)
}).partial();
var paySettingsBody = z6.object({
  /** The local minimum hourly wage in fen, for the fair-pay check; ¥1,000/h is far past any. */
  minHourlyWageFen: z6.number().int().min(0).max(1e5)
});

// src/server/services/pay.service.ts
function tiersOf(project) {
  const parsed = bonusTier.array().safeParse(JSON.parse(project.bonus_tiers || "[]"));
  return parsed.success ? parsed.data : [];
}
function projectPayView(p) {
  return {
    projectId: p.id,
    pieceRateFen: p.piece_rate_fen,
    bonusTiers: tiersOf(p),
    hourlyFloorFen: p.hourly_floor_fen,
    acceptOks: p.accept_oks
  };
}
function requirePayManager(actor) {
  requireRole(actor, "admin", "manager");
}
var PayService = class {
  constructor(db, ledger, payroll, users, projects, clock) {
    this.db = db;
    this.ledger = ledger;
    this.payroll = payroll;
    this.users = users;
    this.projects = projects;
    this.clock = clock;
  }
  db;
  ledger;
  payroll;
  users;
  projects;
  clock;
  // --- periods --------------------------------------------------------------------
  /** The organisation's periods, the current month always among them. */
  async periods(actor) {
    requirePayManager(actor);
    const now = this.clock.now();
    await withTx(this.db, (trx) => this.ledger.ensurePeriod(trx, actor.org_id, periodOf(now), now));
    const rows4 = await this.ledger.periods(actor.org_id);
    return {
      current: periodOf(now),
      periods: rows4.map((r) => ({
        period: r.period,
        status: r.status,
        closedAt: r.closed_at === null ? null : new Date(Number(r.closed_at)).toISOString(),
        earnedFen: Number(r.earned ?? 0),
        paidFen: Number(r.paid ?? 0),
        entries: Number(r.entries)
      }))
    };
  }
  /**
   * Closes a period: settles each worker's bonus and hourly floor per project into it,
   * then marks it closed, in one transaction. Entries decided later go to the next
   * open period. On PostgreSQL the period row is taken FOR UPDATE, which waits for
   * acceptances booking into it (they hold it FOR SHARE) and makes later ones see it
   * closed.
   */
  async closePeriod(actor, period2) {
    requirePayManager(actor);
    const now = this.clock.now();
    if (period2 > periodOf(now)) throw badRequest("period_in_future", `The period ${period2} has not begun.`);
    const orgId = actor.org_id;
    return withTx(this.db, async (trx) => {
      await this.ledger.ensurePeriod(trx, orgId, period2, now);
      if (await this.ledger.lockPeriod(trx, orgId, period2) === "closed") {
        throw conflict("period_closed", `The period ${period2} is already closed.`);
      }
      const { start, end } = periodRange(period2);
      const basis = await this.payroll.settlementBasis(trx, orgId, period2, start, end);
      const projects = new Map(
        (await this.payroll.payProjects(trx, [...new Set(basis.map((b) => b.projectId))])).map((p) => [p.id, p])
      );
      let bonusTotal = 0;
      let floorTotal = 0;
      for (const b of basis) {
        const project = projects.get(b.projectId);
        if (!project) continue;
        const s = settle({
          pieceFen: b.pieceFen,
          accuracy: b.accuracy,
          activeMs: b.activeMs,
          tiers: tiersOf(project),
          floorFenPerHour: project.hourly_floor_fen
        });
        const entry = (kind, amount, reason) => this.ledger.insert(trx, {
          org_id: orgId,
          worker_id: b.workerId,
          project_id: b.projectId,
          kind,
          amount_fen: amount,
          period: period2,
          reason,
          idem_key: `${kind}:${period2}:${b.projectId}:${b.workerId}`,
          created_at: now,
          created_by: actor.id
        });
        if (s.bonusFen > 0) {
          await entry("bonus", s.bonusFen, `accuracy ${b.accuracy === null ? "-" : b.accuracy.toFixed(3)}`);
          bonusTotal += s.bonusFen;
        }
        if (s.floorTopUpFen > 0) {
          await entry("floor_topup", s.floorTopUpFen, `active ${hoursOf(b.activeMs)} h`);
          floorTotal += s.floorTopUpFen;
        }
      }
      await this.ledger.markClosed(trx, orgId, period2, actor.id, now);
      return { period: period2, status: "closed", bonusFen: bonusTotal, floorTopUpFen: floorTotal };
    });
  }
  // --- payroll and fair pay -------------------------------------------------------
  /** One row per worker for a period, with the fair-pay check against the local minimum wage. */
  async payrollFor(actor, period2 = periodOf(this.clock.now())) {
    requirePayManager(actor);
    const orgId = actor.org_id;
    const { start, end } = periodRange(period2);
    const [people, sums, balances, active, minWage, periods] = await Promise.all([
      this.payroll.people(orgId),
      this.payroll.periodSums(orgId, period2),
      this.payroll.balancesThrough(orgId, period2),
      this.payroll.activeMs(orgId, start, end),
      this.payroll.minWage(orgId),
      this.ledger.periods(orgId)
    ]);
    const rows4 = [];
    for (const u of people) {
      const s = sums.get(u.id);
      const balance = balances.get(u.id) ?? 0;
      const ms = active.get(u.id) ?? 0;
      if (u.disabled && !s && balance === 0 && ms === 0) continue;
      const gross = s?.gross ?? 0;
      const net3 = gross + (s?.bonus ?? 0) + (s?.floor ?? 0) + (s?.reversals ?? 0) + (s?.adjustments ?? 0);
      const effective = effectiveHourlyFen(net3, ms);
      rows4.push({
        workerId: u.id,
        name: u.display_name,
        username: u.username,
        itemsAccepted: s?.items ?? 0,
        grossFen: gross,
        bonusFen: s?.bonus ?? 0,
        floorTopUpFen: s?.floor ?? 0,
        reversalsFen: s?.reversals ?? 0,
        adjustmentsFen: s?.adjustments ?? 0,
        netFen: net3,
        payoutsFen: -(s?.payouts ?? 0),
        balanceFen: balance,
        activeMs: ms,
        activeHours: hoursOf(ms),
        effectiveHourlyFen: effective,
        belowMinimum: isBelowMinimum(effective, minWage)
      });
    }
    const sum = (k) => rows4.reduce((t, r) => t + r[k], 0);
    const totalMs = sum("activeMs");
    return {
      period: period2,
      status: periods.find((p) => p.period === period2)?.status ?? "open",
      minHourlyWageFen: minWage,
      rows: rows4,
      totals: {
        itemsAccepted: sum("itemsAccepted"),
        grossFen: sum("grossFen"),
        bonusFen: sum("bonusFen"),
        floorTopUpFen: sum("floorTopUpFen"),
        reversalsFen: sum("reversalsFen"),
        adjustmentsFen: sum("adjustmentsFen"),
        netFen: sum("netFen"),
        payoutsFen: sum("payoutsFen"),
        balanceFen: sum("balanceFen"),
        activeMs: totalMs,
        activeHours: hoursOf(totalMs)
      }
    };
  }
  /** The workers whose effective hourly pay in the period is under the local minimum wage. */
  async fairPay(actor, period2) {
    const p = await this.payrollFor(actor, period2);
    return {
      period: p.period,
      minHourlyWageFen: p.minHourlyWageFen,
      below: p.rows.filter((r) => r.belowMinimum),
      checked: p.rows.filter((r) => r.effectiveHourlyFen !== null).length
    };
  }
  // --- a worker's ledger and payouts ----------------------------------------------
  async workerLedger(actor, workerId, period2) {
    requirePayManager(actor);
    const worker = await this.workerOf(actor, workerId);
    const [entries, balance] = await Promise.all([
      this.ledger.entries(worker.id, period2),
      this.ledger.balance(worker.id)
    ]);
    return {
      worker: { id: worker.id, name: worker.display_name, username: worker.username },
      balanceFen: balance,
      entries: entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        amountFen: e.amount_fen,
        period: e.period,
        project: e.project_id === null ? null : { id: e.project_id, name: e.project_name },
        annotationId: e.annotation_id,
        reversesId: e.reverses_id,
        reason: e.reason,
        at: new Date(Number(e.created_at)).toISOString()
      }))
    };
  }
  /**
   * Records money paid to a worker as a negative `payout` entry in an open period.
   * Never more than her balance: payouts to one worker are serialised (her row is
   * locked on PostgreSQL) so two at once cannot both pass the check. A retry with
   * the same `key` records it once.
   */
  async recordPayout(actor, body) {
    requirePayManager(actor);
    const worker = await this.workerOf(actor, body.workerId);
    const now = this.clock.now();
    const orgId = actor.org_id;
    const idemKey = body.key ? `payout:${body.key}` : null;
    const view = (e, duplicate) => ({
      id: e.id,
      workerId: worker.id,
      period: e.period,
      amountFen: -e.amount_fen,
      duplicate
    });
    return withTx(this.db, async (trx) => {
      await this.ledger.lockWorker(trx, worker.id);
      if (idemKey) {
        const prior = await this.ledger.byIdemKey(orgId, idemKey, trx);
        if (prior) return view(prior, true);
      }
      const balance = await this.ledger.balance(worker.id, trx);
      if (body.amountFen > balance) {
        throw conflict("payout_exceeds_balance", `The balance is ${balance} fen; a payout cannot exceed it.`, {
          balanceFen: balance
        });
      }
      let period2;
      if (body.period) {
        if (await this.ledger.periodStatusForBooking(trx, orgId, body.period, now) === "closed")
          throw conflict("period_closed", `The period ${body.period} is closed; book the payout in an open one.`);
        period2 = body.period;
      } else {
        period2 = await bookingPeriod(this.ledger, trx, orgId, now);
      }
      const row = await this.ledger.insert(trx, {
        org_id: orgId,
        worker_id: worker.id,
        kind: "payout",
        amount_fen: -body.amountFen,
        period: period2,
        reason: body.note ?? null,
        idem_key: idemKey,
        created_at: now,
        created_by: actor.id
      });
      if (row) return view(row, false);
      return view(await this.ledger.byIdemKey(orgId, idemKey, trx), true);
    });
  }
  // --- settings -------------------------------------------------------------------
  async settings(actor) {
    requirePayManager(actor);
    return { minHourlyWageFen: await this.payroll.minWage(actor.org_id) };
  }
  async updateSettings(actor, minHourlyWageFen) {
    requirePayManager(actor);
    await this.payroll.setMinWage(actor.org_id, minHourlyWageFen);
    return { minHourlyWageFen };
  }
  async projectPay(actor, projectId) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    return projectPayView(project);
  }
  /** New pay settings apply to answers accepted and periods closed from now on. */
  async updateProjectPay(actor, projectId, patch) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    if (Object.keys(patch).length === 0) return projectPayView(project);
    const updated = await this.projects.update(projectId, {
      ...patch.pieceRateFen === void 0 ? {} : { piece_rate_fen: patch.pieceRateFen },
      ...patch.bonusTiers === void 0 ? {} : { bonus_tiers: JSON.stringify([...patch.bonusTiers].sort((a, b) => a.minAccuracy - b.minAccuracy)) },
      ...patch.hourlyFloorFen === void 0 ? {} : { hourly_floor_fen: patch.hourlyFloorFen },
      ...patch.acceptOks === void 0 ? {} : { accept_oks: patch.acceptOks }
    });
    return projectPayView(updated);
  }
  async workerOf(actor, workerId) {
    const worker = await this.users.get(workerId);
    if (!worker || worker.org_id !== actor.org_id) throw notFound("worker");
    return worker;
  }
};

// src/server/context.ts
async function createContext(config, clock = systemClock) {
  const db = openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
  await migrate(db);
  const store = new BlobStore(config.blobDir);
  const durability = durabilityFor(config.databaseUrl, config.sqliteSync);
  const repos = {
    orgs: new OrgRepository(db),
    users: new UserRepository(db),
    people: new PeopleRepository(db),
    teams: new TeamRepository(db),
    households: new HouseholdRepository(db),
    invitations: new InvitationRepository(db),
    tokens: new TokenRepository(db),
    loginFailures: new LoginFailureRepository(db),
    projects: new ProjectRepository(db),
    items: new ItemRepository(db),
    blobs: new BlobRepository(db),
    assignments: new AssignmentRepository(db),
    annotations: new AnnotationRepository(db),
    quality: new QualityRepository(db),
    exports: new ExportRepository(db),
    reports: new ReportRepository(db),
    training: new TrainingRepository(db),
    trainingAttempts: new TrainingAttemptRepository(db),
    certifications: new CertificationRepository(db),
    ledger: new LedgerRepository(db),
    payroll: new PayrollRepository(db)
  };
  const quality = new QualityService(db, repos.projects, repos.items, repos.assignments, repos.quality, clock);
  const membership = new ProjectMembership(repos.teams);
  const certifications = new CertificationService(
    db,
    repos.certifications,
    repos.users,
    repos.projects,
    repos.quality,
    clock
  );
  const people = new PeopleService(db, repos.people, repos.teams, repos.households, repos.users, config, clock);
  const services = {
    auth: new AuthService(repos.users, config, clock, repos.tokens, repos.loginFailures),
    tokens: new TokenService(repos.tokens, clock),
    users: new UserService(repos.users, repos.orgs, clock),
    projects: new ProjectService(repos.projects, repos.orgs, repos.items, repos.annotations, clock, membership),
    images: new ImageService(db, repos.projects, repos.items, repos.blobs, store, config, clock),
    manifests: new ManifestService(db, repos.projects, repos.items, repos.blobs, config, clock),
    work: new WorkService(
      db,
      repos.projects,
      repos.items,
      repos.assignments,
      repos.annotations,
      quality,
      clock,
      membership,
      certifications
    ),
    quality,
    people,
    cohorts: new CohortImportService(people, repos.people, repos.teams, repos.households, clock),
    teams: new TeamService(db, repos.teams, repos.people, repos.projects, membership, clock),
    households: new HouseholdService(repos.households),
    invitations: new InvitationService(repos.invitations, people, repos.users, repos.loginFailures, config, clock),
    membership,
    exports: new ExportService(repos.projects, repos.exports, clock),
    reports: new ReportService(repos.reports, clock),
    certifications,
    training: new TrainingService(
      db,
      repos.training,
      repos.trainingAttempts,
      repos.certifications,
      repos.blobs,
      store,
      config,
      clock
    ),
    learner: new LearnerService(
      repos.training,
      repos.trainingAttempts,
      repos.certifications,
      repos.projects,
      repos.quality,
      clock
    ),
    exams: new ExamService(db, repos.training, repos.trainingAttempts, certifications, clock),
    pay: new PayService(db, repos.ledger, repos.payroll, repos.users, repos.projects, clock),
    earnings: new EarningsService(repos.ledger, repos.payroll, clock)
  };
  return {
    config,
    clock,
    db,
    store,
    durability,
    repos,
    services,
    close: async () => {
      await durability.close();
      await db.destroy();
    }
  };
}

// bench/setup.ts
var PASSWORD = "bench-password-1";
var IMAGE_W = 640;
var IMAGE_H = 480;
async function benchContext(dataDir, databaseUrl, sqliteSync = "NORMAL") {
  const config = loadConfig({}, { dataDir, databaseUrl, seedDemo: false, sqliteSync, logLevel: "warn" });
  return createContext(config);
}
function sharedHashUsers(orgId, hash, now) {
  return (username, role) => ({
    org_id: orgId,
    username,
    display_name: username,
    password_hash: hash,
    role,
    locale: "en",
    disabled: 0,
    county: null,
    township: null,
    village: null,
    household: "none",
    created_at: now
  });
}
async function buildFixture(ctx, opts) {
  const now = Date.now();
  const org = await ctx.repos.orgs.create("Bench vendor", "vendor", now);
  const userRow = sharedHashUsers(org.id, await hashPassword(PASSWORD), now);
  const manager = await ctx.repos.users.create(userRow("bench-manager", "manager"));
  const workers = [];
  const rows4 = [];
  for (let i = 0; i < opts.workers; i++) {
    const u = await ctx.repos.users.create(userRow(`w${String(i).padStart(5, "0")}`, "worker"));
    workers.push({ id: u.id, username: u.username });
    rows4.push(u);
  }
  await certifyForBuiltins(ctx.db, rows4, now);
  const project = await createProject(ctx, org.id, manager.id, opts.overlap, opts.name, opts.leaseSeconds);
  const blobSha = await storeOneImage(ctx);
  return { orgId: org.id, managerId: manager.id, projectId: project.id, blobSha, workers };
}
function createProject(ctx, orgId, managerId, overlap, name = "Bench faces", leaseSeconds = 600) {
  return ctx.repos.projects.create({
    org_id: orgId,
    client_org_id: null,
    name,
    template: JSON.stringify(face68),
    instructions: "",
    overlap,
    lease_seconds: leaseSeconds,
    piece_rate_fen: 10,
    max_instances: 20,
    status: "active",
    created_by: managerId,
    created_at: Date.now()
  });
}
async function storeOneImage(ctx) {
  const bytes = await sharp2({
    create: { width: IMAGE_W, height: IMAGE_H, channels: 3, background: { r: 120, g: 90, b: 60 } }
  }).jpeg().toBuffer();
  const sha = sha256(bytes);
  const dest = ctx.store.pathOf(sha);
  fs7.mkdirSync(path8.dirname(dest), { recursive: true });
  fs7.writeFileSync(dest, bytes);
  await ctx.repos.blobs.upsert({
    sha256: sha,
    size: bytes.length,
    mime: "image/jpeg",
    width: IMAGE_W,
    height: IMAGE_H,
    orientation: 1,
    has_preview: 0,
    created_at: Date.now()
  });
  return sha;
}

// bench/export.ts
var args = parseArgs({
  annotations: 1e6,
  mode: "final",
  overlap: 3,
  keep: false,
  json: "",
  // Internal: the child phases.
  phase: "",
  dir: "",
  project: 0
});
if (!EXPORT_MODES.includes(args.mode))
  throw new Error(`--mode is one of ${EXPORT_MODES.join(", ")}`);
var mode = args.mode;
var perItem = mode === "final" ? 1 : args.overlap;
var log = (s) => console.log(`[${(/* @__PURE__ */ new Date()).toISOString().slice(11, 19)}] ${s}`);
var perS = (n, ms) => n / (ms / 1e3);
var cpuSince = (from) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e3;
};
async function exportPhase() {
  const ctx = await benchContext(args.dir);
  const out = path9.join(args.dir, "export.json");
  const rssBefore = process.memoryUsage().rss;
  const mem = new MemorySampler(50);
  const c0 = process.cpuUsage();
  const t = performance.now();
  const { chunks } = await ctx.services.exports.coco(null, args.project, { ...DEFAULT_EXPORT_OPTIONS, mode });
  const ws = fs8.createWriteStream(out);
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    if (!ws.write(chunk)) await once(ws, "drain");
    mem.sample();
  }
  ws.end();
  await once(ws, "finish");
  const ms = performance.now() - t;
  const cpuMs = cpuSince(c0);
  mem.stop();
  await ctx.close();
  return {
    ms,
    cpuMs,
    rows: args.annotations,
    bytes,
    rssBefore,
    peakRss: mem.peakRss,
    peakHeap: mem.peakHeap,
    kernelPeakRss: kernelPeakRss(),
    samples: mem.samples
  };
}
async function baselinePhase() {
  const db = new SQLite2(path9.join(args.dir, "shugu.db"), { readonly: true });
  db.pragma("cache_size = -65536");
  const rssBefore = process.memoryUsage().rss;
  const mem = new MemorySampler(50);
  const c0 = process.cpuUsage();
  const t = performance.now();
  const stmt = db.prepare(
    mode === "final" ? "select item_id, data from consensus where project_id = ? order by item_id" : "select id, item_id, worker_id, data from annotations where project_id = ? order by id"
  );
  let rows4 = 0;
  let instances2 = 0;
  for (const r of stmt.iterate(args.project)) {
    instances2 += JSON.parse(r.data).instances.length;
    if (++rows4 % 2e3 === 0) {
      mem.sample();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const ms = performance.now() - t;
  const cpuMs = cpuSince(c0);
  mem.stop();
  db.close();
  if (instances2 !== rows4) throw new Error(`expected one instance per answer, got ${instances2} in ${rows4}`);
  return {
    ms,
    cpuMs,
    rows: rows4,
    bytes: 0,
    rssBefore,
    peakRss: mem.peakRss,
    peakHeap: mem.peakHeap,
    kernelPeakRss: kernelPeakRss(),
    samples: mem.samples
  };
}
async function build(dir) {
  const ctx = await benchContext(dir);
  const fx = await buildFixture(ctx, { workers: args.overlap, overlap: args.overlap });
  await ctx.close();
  const db = new SQLite2(path9.join(dir, "shugu.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("cache_size = -262144");
  const insItem = db.prepare(
    `insert into items (id, project_id, blob_sha256, source_path, name, width, height, meta, is_gold, claimed, open, submitted, created_at)
     values (?, ?, ?, null, ?, ?, ?, null, 0, ?, 0, ?, ?)`
  );
  const insAsg = db.prepare(
    `insert into assignments (id, project_id, item_id, worker_id, status, leased_at, expires_at, ended_at, skip_reason)
     values (?, ?, ?, ?, 'submitted', ?, ?, ?, null)`
  );
  const insAnn = db.prepare(
    `insert into annotations (id, project_id, item_id, assignment_id, worker_id, client_submission_id, data, instance_count, active_ms, created_at)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`
  );
  const insConsensus = db.prepare(
    `insert into consensus (item_id, project_id, data, agreement, details, submissions, created_at)
     values (?, ?, ?, 0.9, '{"instances":[],"unmerged":0}', ?, ?)`
  );
  const rand = prng(42);
  const variants = Array.from({ length: 997 }, () => JSON.stringify(face68Answer(IMAGE_W, IMAGE_H, rand)));
  const total = args.annotations;
  const items = Math.ceil(total / perItem);
  const now = Date.now();
  const CHUNK2 = 5e4;
  let done = 0;
  const t = performance.now();
  const batch = db.transaction((from, to) => {
    for (let a = from; a < to; a++) {
      const item = Math.floor(a / perItem) + 1;
      const k = a % perItem;
      if (k === 0) {
        const name = `img-${String(item).padStart(7, "0")}.jpg`;
        insItem.run(item, fx.projectId, fx.blobSha, name, IMAGE_W, IMAGE_H, args.overlap, args.overlap, now);
        insConsensus.run(item, fx.projectId, variants[item % variants.length], args.overlap, now);
      }
      if (mode === "final") continue;
      const id2 = a + 1;
      const worker = fx.workers[k].id;
      insAsg.run(id2, fx.projectId, item, worker, now - 6e4, now + 54e4, now);
      insAnn.run(
        id2,
        fx.projectId,
        item,
        id2,
        worker,
        `seed-${id2}`,
        variants[a % variants.length],
        2e4 + a % 5e3,
        now
      );
    }
  });
  while (done < total) {
    const to = Math.min(total, done + CHUNK2);
    batch(done, to);
    done = to;
    if (done % 2e5 === 0 || done === total) log(`  inserted ${done} annotations (${items} items)`);
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const answers = mode === "final" ? 0 : total;
  log(
    `set-up: ${items} items with a consensus each, ${answers} assignments and answers in ${fmt.s(performance.now() - t)} s (not timed)`
  );
  return fx.projectId;
}
async function scan(file, needles) {
  const bufs = needles.map((n) => Buffer.from(n));
  const keep = Math.max(...bufs.map((b) => b.length)) - 1;
  const counts = needles.map(() => 0);
  let carry = Buffer.alloc(0);
  let head = "";
  for await (const chunk of fs8.createReadStream(file, { highWaterMark: 1 << 20 })) {
    if (!head) head = chunk.subarray(0, 120).toString();
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    bufs.forEach((b, i) => {
      for (let at = buf.indexOf(b); at >= 0; at = buf.indexOf(b, at + b.length)) counts[i]++;
    });
    carry = Buffer.from(buf.subarray(buf.length - keep));
  }
  const size = fs8.statSync(file).size;
  const fd = fs8.openSync(file, "r");
  const tailBuf = Buffer.alloc(Math.min(200, size));
  fs8.readSync(fd, tailBuf, 0, tailBuf.length, size - tailBuf.length);
  fs8.closeSync(fd);
  return { counts, head, tail: tailBuf.toString() };
}
async function childEntry() {
  const self = fileURLToPath2(import.meta.url);
  try {
    const esbuild = await import("esbuild");
    const outfile = path9.join(path9.dirname(self), `.export-child-${process.pid}.mjs`);
    await esbuild.build({
      entryPoints: [self],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      outfile,
      logLevel: "error"
    });
    return { entry: [outfile], via: "plain node (esbuild bundle)", cleanup: () => fs8.rmSync(outfile, { force: true }) };
  } catch (err) {
    return {
      entry: ["--import", "tsx", self],
      via: `tsx (no esbuild bundle: ${err.message})`,
      cleanup: () => {
      }
    };
  }
}
async function main() {
  if (args.phase) {
    const r = args.phase === "export" ? await exportPhase() : await baselinePhase();
    console.log(`${RESULT_TAG}${JSON.stringify(r)}`);
    return;
  }
  const dir = tempDir("shugu-bench-export-");
  log(
    `export --mode ${mode}: ${args.annotations} annotations of 68 points, ${perItem} per item; ${boxLoad()}; node ${process.version}; folder ${dir}`
  );
  let cleanup = () => {
  };
  try {
    const projectId = await build(dir);
    const childRun = await childEntry();
    const { entry, via } = childRun;
    cleanup = childRun.cleanup;
    log(`child phases run via ${via}`);
    const child = (phase) => runNodeForResult([
      ...entry,
      "--phase",
      phase,
      "--dir",
      dir,
      "--project",
      String(projectId),
      "--annotations",
      String(args.annotations),
      "--mode",
      mode,
      "--overlap",
      String(args.overlap)
    ]);
    log("export (child process) \u2026");
    const exp = (await child("export")).result;
    log(
      `export: ${fmt.s(exp.ms)} s, ${fmt.int(perS(exp.rows, exp.ms))} annotations/s, ${fmt.mb(exp.bytes)} MB, peak RSS ${fmt.mb(exp.peakRss)} MB`
    );
    log("BASELINE raw iterate + JSON.parse (child process) \u2026");
    const base = (await child("baseline")).result;
    log(
      `baseline: ${fmt.s(base.ms)} s, ${fmt.int(perS(base.rows, base.ms))} rows/s, peak RSS ${fmt.mb(base.peakRss)} MB`
    );
    const file = path9.join(dir, "export.json");
    const t = performance.now();
    const s = await scan(file, ['"image_id":', '"file_name":']);
    const items = Math.ceil(args.annotations / perItem);
    const problems = [];
    if (!s.head.startsWith('{"info":')) problems.push(`head is ${JSON.stringify(s.head.slice(0, 40))}`);
    if (!s.tail.endsWith("]}\n")) problems.push(`tail is ${JSON.stringify(s.tail.slice(-40))}`);
    if (s.counts[0] !== args.annotations) problems.push(`${s.counts[0]} annotations, expected ${args.annotations}`);
    if (s.counts[1] !== items) problems.push(`${s.counts[1]} images, expected ${items}`);
    let parsed = "not parsed whole (over 100k annotations)";
    if (args.annotations <= 1e5) {
      const doc = JSON.parse(fs8.readFileSync(file, "utf8"));
      if (doc.annotations.length !== args.annotations)
        problems.push(`JSON.parse: ${doc.annotations.length} annotations`);
      if (doc.images.length !== items) problems.push(`JSON.parse: ${doc.images.length} images`);
      if (doc.annotations.some((a) => a.keypoints.length !== 68 * 3))
        problems.push("an annotation without 68\xD73 keypoint numbers");
      parsed = "JSON.parse of the whole file: ok";
    }
    const verdict = problems.length ? `PROBLEMS: ${problems.join("; ")}` : `ok (${s.counts[1]} images, ${s.counts[0]} annotations; ${parsed})`;
    log(`output check in ${fmt.s(performance.now() - t)} s: ${verdict}`);
    console.log("\n## COCO export summary\n");
    console.log(
      `--mode ${mode}: ${args.annotations.toLocaleString("en-US")} annotations \xD7 68 points (${items.toLocaleString("en-US")} finished images, ${mode === "final" ? "one consensus" : `${perItem} answers`} each), SQLite, node ${process.version}, ${boxLoad()} at the end; each path in its own child process (${via}); peak RSS sampled every 50 ms and per chunk, no --expose-gc
`
    );
    const row = (name, r, output, target) => [
      name,
      fmt.s(r.ms),
      fmt.int(perS(r.rows, r.ms)),
      fmt.s(r.cpuMs),
      fmt.int(perS(r.rows, r.cpuMs)),
      output,
      `${fmt.mb(r.peakRss)} / ${fmt.mb(r.kernelPeakRss)} MB`,
      `${fmt.mb(r.rssBefore)} MB`,
      target
    ];
    console.log(
      mdTable(
        [
          "path",
          "wall s",
          "annotations/s",
          "CPU s",
          "per CPU-second",
          "output",
          "peak RSS (sampled / kernel HWM)",
          "RSS before",
          "target"
        ],
        [
          row("ExportService.coco \u2192 file", exp, `${fmt.mb(exp.bytes)} MB`, "\u2265 50,000/s, \u2264 256 MB"),
          row(
            `BASELINE better-sqlite3 iterate + JSON.parse of ${mode === "final" ? "consensus" : "answer"} rows`,
            base,
            "\u2013",
            ""
          )
        ]
      )
    );
    console.log(
      `
Output check: ${verdict}. Export throughput ${fmt.mb(exp.bytes / (exp.ms / 1e3))} MB/s; peak JS heap ${fmt.mb(exp.peakHeap)} MB.`
    );
    const result = { args, node: process.version, export: exp, baseline: base, verdict, ok: problems.length === 0 };
    if (args.json) fs8.writeFileSync(args.json, JSON.stringify(result, null, 2));
    console.log(`
${RESULT_TAG}${JSON.stringify(result)}`);
    if (problems.length) process.exitCode = 1;
  } finally {
    cleanup();
    if (!args.keep) fs8.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
