/**
 * Answer quality: accuracy against a reference (NME, OKS, left/right swaps), instance
 * matching, multi-worker consensus for keypoints, and truth inference for categorical
 * labels (majority vote, Dawid–Skene). Pure functions on plain data; no I/O.
 */
export {
  boxScale,
  failureRate,
  hardestPoints,
  meanPerPointError,
  nme,
  nmeNormalizer,
  type NmeOptions,
  type NmeResult,
  type NmeTemplate,
} from './nme.js';
export { OKS_EPS, oks, oksArea, oksVariances } from './oks.js';
export { hungarian, solveAssignment, type Assignment } from './hungarian.js';
export {
  boxIou,
  instanceBox,
  matchInstances,
  matchScore,
  type MatchBy,
  type MatchedPair,
  type MatchOptions,
  type MatchResult,
} from './matching.js';
export {
  detectPairSwaps,
  detectSwap,
  flipPermutation,
  type PairSwap,
  type SwapOptions,
  type SwapResult,
  type SwapTemplate,
} from './swap.js';
export {
  mergeAnswers,
  mergePoints,
  type ConsensusInstance,
  type ConsensusMethod,
  type ConsensusOptions,
  type ConsensusResult,
  type ConsensusTemplate,
  type InstanceAgreement,
  type MergePointsOptions,
  type UnmergedCluster,
} from './consensus.js';
export {
  dawidSkene,
  majorityVote,
  type CategoricalOptions,
  type DawidSkeneOptions,
  type DawidSkeneResult,
  type LabelTriple,
  type MajorityVoteResult,
} from './dawid-skene.js';
export {
  detectRegionSwaps,
  detectRegionSwapsFlat,
  exchangePairs,
  flipRegions,
  swapLabel,
  type FlipRegion,
  type RegionSwap,
  type RegionSwapOptions,
} from './swap-regions.js';
export { mergeEm, UNKNOWN_WORKER, type EmResult, type MemberReport, type WorkerPrior } from './em.js';
export { clusterInstances, type ClusterOptions } from './instance-clusters.js';
export { mergeRobust, type RobustInstance, type RobustOptions, type RobustResult } from './robust-consensus.js';
export { peerScores, type PeerOptions, type PeerScore } from './peer.js';
export {
  judgeStanding,
  tooFast,
  workerSigma,
  type StandingEvidence,
  type StandingRules,
  type StandingVerdict,
} from './standing-rules.js';
