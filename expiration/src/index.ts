import './tracing';
import { runService } from '@ticketing/common';
import { expirationService } from './service';

void runService(expirationService);
