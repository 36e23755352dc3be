export { DeskService } from './desk.service';
