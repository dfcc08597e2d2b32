import { reportTally } from './strict-slack-tally';

export default reportTally;
