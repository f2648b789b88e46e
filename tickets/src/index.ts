import './tracing';
import { runService } from '@ticketing/common';
import { ticketsService } from './service';

void runService(ticketsService);
