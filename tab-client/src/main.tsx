import { createRoot } from 'react-dom/client';
import { App } from './App';
import './tab.css';

createRoot(document.getElementById('root')!).render(<App />);
