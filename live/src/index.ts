import './tracing';
import { runService } from '@ticketing/common';
import { liveService } from './service';

void runService(liveService);
