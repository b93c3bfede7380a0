// The anonymous self-screening: WHO ASSIST v3.1 for adults, CRAFFT 2.1 for ages 12-17.
export { assistBand, assistClassScore, scoreAssist } from './assist-score.ts';
export { crafftBand, crafftScore } from './crafft-score.ts';
export { screeningFlow } from './flow.ts';
export { REDUCE_CHOICE } from './result.ts';
