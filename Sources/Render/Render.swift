import Calc
