import { startTally } from './strict-slack-tally';

export default startTally;
